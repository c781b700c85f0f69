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

    [Fact]
    public async Task A_training_process_killed_mid_run_and_resumed_ends_with_every_epoch_on_the_server_once()
    {
        string project = Path.Combine(_dir, "runs");
        string[] common = ["batch=16", "imgsz=12", "hidden=16", "threads=1", "plots=false", "tensorboard=false", "hub=true", $"hub_url={Url}", $"api_key={_hub.InitialAdminKey}"];
        string journal = Path.Combine(project, "killed", "hub-spool", "journal.jsonl");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (var arg in (string[])[CliProcess.CliPath, "train", "epochs=400", $"project={project}", "name=killed", .. common])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["STEPWISE_CONFIG_DIR"] = _dir;
        using (var process = System.Diagnostics.Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();

            // Kill it for real once a few epochs are in its spool.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (SpooledEpochs(journal) < 3 && !process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }

            Assert.False(process.HasExited, "training finished before it could be killed");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        string last = Path.Combine(project, "killed", "weights", "last.safetensors");
        var resumed = await CliProcess.RunAsync(_dir, ["train", "resume=true", $"model={last}", .. common], timeout: TimeSpan.FromMinutes(3));
        Assert.True(resumed.ExitCode == 0, resumed.Error);

        using var http = new HttpClient { BaseAddress = _hub.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", _hub.InitialAdminKey);
        var run = Assert.Single((await http.GetFromJsonAsync<RunListResponse>(HubRoutes.Runs("default"), HubJson.Options))!.Items);
        Assert.Equal(HubRunStatus.Finished, run.Status);
        var loss = (await http.GetFromJsonAsync<MetricsResponse>(HubRoutes.Metrics(run.Id), HubJson.Options))!.Series.Single(s => s.Name == "train/loss");
        // results.csv holds every epoch of both processes (an epoch cut short by the kill is trained
        // again after resume and appears twice; its last row is the one that counts).
        var csv = File.ReadAllLines(Path.Combine(project, "killed", "results.csv")).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .GroupBy(r => (long)r[0] - 1).ToDictionary(g => g.Key, g => g.Last()[2]);
        Assert.True(csv.Count > 3);
        Assert.Equal(Enumerable.Range(0, csv.Count).Select(e => (long)e), loss.Points.Select(p => p.Step));
        foreach (var point in loss.Points)
        {
            Assert.Equal(csv[point.Step], point.Value, 5);
        }
    }

    private static int SpooledEpochs(string journal)
    {
        try
        {
            using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.Contains("\"op\":\"metrics\"", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
