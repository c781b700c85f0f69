using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Stepwise.Cli.Tests.Support;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server;
using Stepwise.Settings;

namespace Stepwise.Cli.Tests.Modes;

public sealed class HubClientCommandsTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stepwise-cli-hubclient-" + Guid.NewGuid().ToString("N"));
    private HubServerHost _hub = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _hub = await HubServerHost.StartAsync(new HubServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDir = Path.Combine(_dir, "server"),
            ConfigureLogging = b => b.ClearProviders(),
        });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Url => _hub.BaseAddress.ToString().TrimEnd('/');

    private IReadOnlyDictionary<string, object> StoredSettings() => new SettingsStore(Path.Combine(_dir, SettingsStore.FileName)).Load();

    [Fact]
    public async Task Login_checks_the_key_and_stores_the_url_and_key()
    {
        var result = await CliProcess.RunAsync(_dir, ["hub", "login", Url + "/", _hub.InitialAdminKey!]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Logged in to {Url}", result.Out, StringComparison.Ordinal);
        Assert.Contains("(admin, all projects)", result.Out, StringComparison.Ordinal);
        var stored = StoredSettings();
        Assert.Equal(Url, stored["hub_url"]);
        Assert.Equal(_hub.InitialAdminKey, stored["api_key"]);
    }

    [Fact]
    public async Task Login_with_a_refused_key_saves_nothing_and_exits_1()
    {
        var result = await CliProcess.RunAsync(_dir, ["hub", "login", Url, "swk_000000000000_notakeyatall"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused the key", result.Error, StringComparison.Ordinal);
        Assert.Contains("401", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, SettingsStore.FileName)) && StoredSettings().ContainsKey("api_key"));
    }

    [Fact]
    public async Task Login_with_a_bad_url_is_a_usage_error()
    {
        var result = await CliProcess.RunAsync(_dir, ["hub", "login", "ftp://x", "k"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("hub_url", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_with_hub_on_streams_the_run_and_sync_sends_what_a_dead_server_left_behind()
    {
        // The run streams to a server that is gone: everything stays in the run's spool.
        string deadUrl = "http://127.0.0.1:9";
        var train = await CliProcess.RunAsync(_dir, [
            "train", "epochs=2", "batch=16", "imgsz=12", "hidden=16", "threads=1", "plots=false", "tensorboard=false",
            $"project={Path.Combine(_dir, "runs")}", "name=exp", "hub=true", $"hub_url={deadUrl}", $"api_key={_hub.InitialAdminKey}",
        ]);
        Assert.True(train.ExitCode == 0, train.Error + train.Out);
        Assert.Contains("hub: streaming this run to", train.Out, StringComparison.Ordinal);
        Assert.Contains("stepwise hub sync", train.Out, StringComparison.Ordinal);
        string runDir = Path.Combine(_dir, "runs", "exp");

        var sync = await CliProcess.RunAsync(_dir, ["hub", "sync", runDir, $"hub_url={Url}", $"api_key={_hub.InitialAdminKey}"]);

        Assert.True(sync.ExitCode == 0, sync.Error);
        Assert.Contains("Sent 3 item(s)", sync.Out, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", _hub.InitialAdminKey);
        var runs = (await http.GetFromJsonAsync<RunListResponse>(HubRoutes.Runs("default"), HubJson.Options))!.Items;
        var run = Assert.Single(runs);
        Assert.Equal("exp", run.Name);
        var loss = (await http.GetFromJsonAsync<MetricsResponse>(HubRoutes.Metrics(run.Id), HubJson.Options))!.Series.Single(s => s.Name == "train/loss");
        Assert.Equal([0L, 1L], loss.Points.Select(p => p.Step));
        var final = Assert.Single((await http.GetFromJsonAsync<List<CheckpointDto>>(HubRoutes.Checkpoints(run.Id), HubJson.Options))!);
        Assert.Equal(CheckpointKind.Final, final.Kind);

        var again = await CliProcess.RunAsync(_dir, ["hub", "sync", runDir, $"hub_url={Url}", $"api_key={_hub.InitialAdminKey}"]);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("Sent 0 item(s)", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_of_a_folder_without_a_spool_says_so()
    {
        var result = await CliProcess.RunAsync(_dir, ["hub", "sync", _dir, $"api_key={_hub.InitialAdminKey}"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no Hub spool", result.Error, StringComparison.Ordinal);
    }
}
