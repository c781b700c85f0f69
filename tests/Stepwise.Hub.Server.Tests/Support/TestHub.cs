using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Tests.Support;

/// <summary>A real Hub server on a free loopback port with its own data dir and database.</summary>
public sealed class TestHub : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private readonly List<HttpClient> _clients = [];

    private TestHub(HubServerHost host, HubServerOptions options, ManualClock clock, string adminKey, bool ownsDataDir)
    {
        Host = host;
        Options = options;
        Clock = clock;
        AdminKey = adminKey;
        OwnsDataDir = ownsDataDir;
        Admin = Client(adminKey);
    }

    public HubServerHost Host { get; }

    public HubServerOptions Options { get; }

    public ManualClock Clock { get; }

    public string AdminKey { get; }

    public HttpClient Admin { get; }

    public Uri BaseAddress => Host.BaseAddress;

    private bool OwnsDataDir { get; }

    /// <summary>Starts a server on a fresh SQLite file or a fresh PostgreSQL database.</summary>
    public static async Task<TestHub> StartAsync(string backend = Sqlite, Action<HubServerOptions>? configure = null, string? dataDir = null, string? database = null, string? adminKey = null)
    {
        var clock = new ManualClock();
        var ownsDataDir = dataDir is null;
        dataDir ??= NewTempDir();
        if (database is null && backend == Postgres)
        {
            database = await PostgresServer.Instance.CreateDatabaseAsync();
        }

        var options = new HubServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDir = dataDir,
            Database = database,
            TimeProvider = clock,
            MinimumLogLevel = LogLevel.Warning,
            RateLimitPerSecond = 10_000,
            RateLimitBurst = 10_000,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        var host = await HubServerHost.StartAsync(options);
        var key = host.InitialAdminKey ?? adminKey ?? throw new InvalidOperationException("No admin key: pass the one from the first start.");
        return new TestHub(host, options, clock, key, ownsDataDir);
    }

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "stepwise-hub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>An HTTP client for the server sending the given key (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(HubHeaders.ApiKey, key);
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>Creates a key through the API and returns its secret.</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync(KeyScope scope, string? project, string name = "test", HttpClient? admin = null)
    {
        var response = await (admin ?? Admin).PostAsJsonAsync(HubRoutes.Keys, new CreateApiKeyRequest(name, scope, project), HubJson.Options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedApiKeyResponse>(HubJson.Options))!;
        return (created.Key.Id, created.Secret);
    }

    /// <summary>A fresh unique project name.</summary>
    public static string NewProject() => "p-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Creates a run through the API.</summary>
    public async Task<RunDto> CreateRunAsync(string project, string name = "run", HttpClient? client = null, CreateRunRequest? request = null)
    {
        var response = await (client ?? Admin).PostAsJsonAsync(HubRoutes.Runs(project), request ?? new CreateRunRequest(name), HubJson.Options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RunDto>(HubJson.Options))!;
    }

    /// <summary>Stops the server gracefully (disposing afterwards is still fine).</summary>
    public Task StopAsync() => Host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Host.DisposeAsync();
        if (OwnsDataDir)
        {
            try
            {
                Directory.Delete(Options.DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
