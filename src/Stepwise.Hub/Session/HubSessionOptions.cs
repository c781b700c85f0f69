using Microsoft.Extensions.Logging;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Http;

namespace Stepwise.Hub.Session;

/// <summary>Everything a <see cref="HubSession"/> needs: server, key, run description, spool, intervals, retries.</summary>
public sealed class HubSessionOptions
{
    /// <summary>Default bound of the on-disk spool: 256 MiB.</summary>
    public const long DefaultSpoolLimitBytes = 256L << 20;

    /// <summary>The Hub server's address, e.g. <c>http://127.0.0.1:8484</c>.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>The API key (<c>swk_…</c>), with write scope on the project.</summary>
    public required string ApiKey { get; init; }

    /// <summary>
    /// The folder of the durable spool, normally <c>&lt;run dir&gt;/hub-spool</c>. Whatever an earlier
    /// session left there is replayed first.
    /// </summary>
    public required string SpoolDirectory { get; init; }

    /// <summary>The run's name (e.g. the run directory's name).</summary>
    public required string RunName { get; init; }

    /// <summary>The Hub project; null: the API key's project, or <c>default</c> for an admin key.</summary>
    public string? Project { get; init; }

    /// <summary>The task, e.g. <c>classify</c>.</summary>
    public string? Task { get; init; }

    /// <summary>The run's arguments, sent once when the run is created.</summary>
    public IReadOnlyDictionary<string, object?> Args { get; init; } = new Dictionary<string, object?>();

    /// <summary>The metric the Hub ranks runs by, e.g. <c>metrics/accuracy_top1</c>.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Whether a larger <see cref="PrimaryMetric"/> is better.</summary>
    public MetricMode? PrimaryMode { get; init; }

    /// <summary>
    /// The client's run id (32 hex), kept in the checkpoint so a resumed run continues the same Hub run;
    /// null: taken from the spool if it has one, else a new one.
    /// </summary>
    public string? ClientRunId { get; init; }

    /// <summary>Metrics are sent at most this often (default 3 s); epochs in between go in one request.</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>last</c> checkpoints are uploaded at most this often (default 900 s).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(900);

    /// <summary>Heartbeats are sent this often (default 300 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// How often the background sender looks for newly queued metrics and writes them to the spool
    /// (default 100 ms, real time). Queuing never wakes the sender, which keeps it cheap for the
    /// training thread; this is the longest a queued epoch waits before it is on disk.
    /// </summary>
    public TimeSpan QueuePollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>After a request failed for good, the background sender waits this long before trying again (default 30 s).</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound of the spool in bytes (default 256 MiB).</summary>
    public long SpoolLimitBytes { get; init; } = DefaultSpoolLimitBytes;

    /// <summary>Retries of run creation, identity check, metrics, heartbeats and the end status.</summary>
    public HubRetryOptions RequestRetry { get; init; } = new();

    /// <summary>Default retries of background checkpoint uploads: 10 min per attempt, 5 retries, 30 min in all.</summary>
    public static HubRetryOptions DefaultUploadRetry { get; } = new()
    {
        AttemptTimeout = TimeSpan.FromMinutes(10),
        MaxRetries = 5,
        TotalTimeout = TimeSpan.FromMinutes(30),
    };

    /// <summary>Default retries of the final upload: 5 min per attempt, 5 retries, 10 min in all.</summary>
    public static HubRetryOptions DefaultFinalUploadRetry { get; } = new()
    {
        AttemptTimeout = TimeSpan.FromMinutes(5),
        MaxRetries = 5,
        TotalTimeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>Retries of background checkpoint uploads (default <see cref="DefaultUploadRetry"/>).</summary>
    public HubRetryOptions UploadRetry { get; init; } = DefaultUploadRetry;

    /// <summary>
    /// Retries of the final upload at train end, which blocks the end of training (default
    /// <see cref="DefaultFinalUploadRetry"/>). Whatever is not sent in time stays in the spool.
    /// </summary>
    public HubRetryOptions FinalUploadRetry { get; init; } = DefaultFinalUploadRetry;

    /// <summary>Longest time the end of training waits for pending metrics (default 60 s).</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock for intervals, timeouts and backoff.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the session reports warnings (retries, outages, dropped items).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The HTTP handler; a socket handler by default.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        if (ServerUrl is null || !ServerUrl.IsAbsoluteUri || (ServerUrl.Scheme != Uri.UriSchemeHttp && ServerUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{nameof(ServerUrl)} must be an absolute http(s) address, got '{ServerUrl}'.", nameof(ServerUrl));
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException($"{nameof(ApiKey)} is empty: set api_key (stepwise hub login <url> <key>).", nameof(ApiKey));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(SpoolDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(RunName);
        if (ClientRunId is not null && (ClientRunId.Length is < 8 or > 64 || !ClientRunId.All(char.IsAsciiLetterOrDigit)))
        {
            throw new ArgumentException($"{nameof(ClientRunId)} must be 8 to 64 letters or digits, got '{ClientRunId}'.", nameof(ClientRunId));
        }

        foreach (var (name, value) in new[] { (nameof(MetricsInterval), MetricsInterval), (nameof(CheckpointInterval), CheckpointInterval), (nameof(HeartbeatInterval), HeartbeatInterval), (nameof(RetryPause), RetryPause), (nameof(FlushTimeout), FlushTimeout) })
        {
            if (value < TimeSpan.Zero || (name == nameof(HeartbeatInterval) && value == TimeSpan.Zero))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative (heartbeats: positive).");
            }
        }

        if (QueuePollInterval <= TimeSpan.Zero || QueuePollInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(QueuePollInterval), QueuePollInterval, $"{nameof(QueuePollInterval)} must be between 0 and 1 min.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(SpoolLimitBytes, 64 * 1024, nameof(SpoolLimitBytes));
        RequestRetry.Validate(nameof(RequestRetry));
        UploadRetry.Validate(nameof(UploadRetry));
        FinalUploadRetry.Validate(nameof(FinalUploadRetry));
    }
}
