
namespace Stepwise.Hub.Server;

/// <summary>Settings of a Hub server instance (<c>stepwise hub serve</c>).</summary>
public sealed class HubServerOptions
{
    /// <summary>The default listen address: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8484";

    /// <summary>Listen addresses, separated by <c>;</c>. Port 0 picks a free port.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Directory of the SQLite database and the blob folder (created on first start).</summary>
    public string DataDir { get; set; } = DefaultDataDir();

    /// <summary>A PostgreSQL connection string (keywords or <c>postgresql://</c> URI) or an SQLite file; null for <c>DataDir/hub.db</c>.</summary>
    public string? Database { get; set; }

    /// <summary>A running run with no heartbeat or metrics for this long shows as stalled.</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Largest JSON request body.</summary>
    public long MaxJsonBodyBytes { get; set; } = 1 << 20;

    /// <summary>Most metric values in one batch.</summary>
    public int MaxValuesPerBatch { get; set; } = 10_000;

    /// <summary>Largest checkpoint upload.</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>Requests per second each API key may make on average.</summary>
    public int RateLimitPerSecond { get; set; } = 100;

    /// <summary>Requests an API key may make in a burst.</summary>
    public int RateLimitBurst { get; set; } = 200;

    /// <summary>How long a verified key is trusted without reading the database again.</summary>
    public TimeSpan KeyCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long shutdown waits for in-flight requests.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock (a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Least severe log level written.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Information;

    /// <summary>True to write logs as JSON lines instead of text.</summary>
    public bool JsonLogs { get; set; }

    /// <summary>Optional extra logging set-up (tests route logs elsewhere).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>The default data directory: the user's local application data, <c>stepwise/hub</c>.</summary>
    /// <returns>The path.</returns>
    public static string DefaultDataDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "stepwise", "hub");
}
