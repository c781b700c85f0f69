using Microsoft.Extensions.Logging;
using Stepwise.Hub.Http;
using Stepwise.Hub.Session;

namespace Stepwise.Hub.Callbacks;

/// <summary>What the Hub callbacks send where, and how often.</summary>
public sealed record HubCallbackOptions
{
    /// <summary>The Hub server's address.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>The API key.</summary>
    public required string ApiKey { get; init; }

    /// <summary>The Hub project; null: the key's project (or <c>default</c> for an admin key).</summary>
    public string? Project { get; init; }

    /// <summary>
    /// Asked at each analytics event (train/val/predict/export start) whether usage events may be sent,
    /// so turning <c>sync</c> off takes effect at once. Null: never send.
    /// </summary>
    public Func<bool>? SyncEnabled { get; init; }

    /// <summary>Anonymous installation id sent with analytics events.</summary>
    public string? InstallationId { get; init; }

    /// <summary>Where the final upload's progress bar and short status lines go (none when null).</summary>
    public TextWriter? Console { get; init; }

    /// <summary>True when <see cref="Console"/> is a terminal: the progress bar redraws in place.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Metrics are sent at most this often (default 3 s).</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>last</c> checkpoints are uploaded at most this often (default 900 s).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>Heartbeats are sent this often (default 300 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Pause of the background sender after a request failed for good (default 30 s).</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for pending metrics at train end (default 60 s).</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Bound of the run's spool (default 256 MiB).</summary>
    public long SpoolLimitBytes { get; init; } = HubSessionOptions.DefaultSpoolLimitBytes;

    /// <summary>Retries of small requests (run creation, metrics, heartbeats, status).</summary>
    public HubRetryOptions RequestRetry { get; init; } = new();

    /// <summary>Retries of background checkpoint uploads.</summary>
    public HubRetryOptions UploadRetry { get; init; } = HubSessionOptions.DefaultUploadRetry;

    /// <summary>Retries and total time of the blocking final upload at train end.</summary>
    public HubRetryOptions FinalUploadRetry { get; init; } = HubSessionOptions.DefaultFinalUploadRetry;

    /// <summary>The clock (a fake one in tests); the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where the session logs; the trainer's logger when null.</summary>
    public ILogger? Logger { get; init; }
}
