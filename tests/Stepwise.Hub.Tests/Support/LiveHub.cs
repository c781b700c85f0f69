using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server;

namespace Stepwise.Hub.Tests.Support;

/// <summary>
/// The real Hub server, in process on a free loopback port with its own SQLite data folder; it can be
/// stopped and started again on the same data (on a new port) to play an outage.
/// </summary>
internal sealed class LiveHub : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private HubServerHost? _host;

    private LiveHub()
    {
    }

    public Uri Url => _host?.BaseAddress ?? throw new InvalidOperationException("The server is stopped.");

    public string AdminKey { get; private set; } = string.Empty;

    public HttpClient Client { get; private set; } = new();

    public static async Task<LiveHub> StartAsync()
    {
        var hub = new LiveHub();
        await hub.StartAgainAsync();
        return hub;
    }

    public async Task StartAgainAsync()
    {
        _host = await HubServerHost.StartAsync(new HubServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDir = _data.Path,
            ConfigureLogging = b => b.ClearProviders(),
        });
        if (_host.InitialAdminKey is { } key)
        {
            AdminKey = key;
        }

        Client.Dispose();
        Client = new HttpClient { BaseAddress = _host.BaseAddress };
        Client.DefaultRequestHeaders.Add("x-api-key", AdminKey);
    }

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host = null;
        }
    }

    public async Task<T> GetAsync<T>(string path) =>
        (await Client.GetFromJsonAsync<T>(path, HubJson.Options))!;

    public async Task<IReadOnlyList<RunDto>> RunsAsync(string project = "default") =>
        (await GetAsync<RunListResponse>(HubRoutes.Runs(project))).Items;

    public async Task<IReadOnlyList<MetricSeries>> SeriesAsync(string runId) =>
        (await GetAsync<MetricsResponse>(HubRoutes.Metrics(runId))).Series;

    public async Task<IReadOnlyList<CheckpointDto>> CheckpointsAsync(string runId) =>
        await GetAsync<List<CheckpointDto>>(HubRoutes.Checkpoints(runId));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        _data.Dispose();
    }
}
