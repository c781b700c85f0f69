using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Stepwise.Cli.Tests.Support;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server;

namespace Stepwise.Cli.Tests.Modes;

public sealed class HubImportCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stepwise-cli-import-" + Guid.NewGuid().ToString("N"));
    private HubServerHost? _hub;
    private HttpClient? _admin;

    private HubServerHost Hub => _hub!;

    public void Dispose() => _admin?.Dispose();

    private HttpClient Admin => _admin!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _hub = await HubServerHost.StartAsync(new HubServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDir = Path.Combine(_dir, "hub"),
            MinimumLogLevel = LogLevel.Warning,
        });
        _admin = new HttpClient { BaseAddress = Hub.BaseAddress };
        _admin.DefaultRequestHeaders.Add(HubHeaders.ApiKey, Hub.InitialAdminKey);
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static string Golden(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "golden")))
        {
            dir = dir.Parent;
        }

        return Path.Combine([dir?.FullName ?? throw new DirectoryNotFoundException("shared/golden not found"), "shared", "golden", .. parts]);
    }

    private Task<CliProcess.Result> ImportAsync(string path, string project, string? key = null) =>
        CliProcess.RunAsync(_dir, ["hub", "import", path, $"--project={project}", $"hub_url={Hub.BaseAddress}", $"api_key={key ?? Hub.InitialAdminKey}"]);

    private async Task<T> GetAsync<T>(string path) => (await Admin.GetFromJsonAsync<T>(path, HubJson.Options))!;

    private async Task<Dictionary<string, (RunDto Run, Dictionary<string, List<SeriesPoint>> Series, List<RunImageDto> Images, ParamsDto Params)>> SnapshotAsync(string project)
    {
        var result = new Dictionary<string, (RunDto, Dictionary<string, List<SeriesPoint>>, List<RunImageDto>, ParamsDto)>(StringComparer.Ordinal);
        foreach (var run in (await GetAsync<RunListResponse>(HubRoutes.Runs(project) + "?limit=500")).Items)
        {
            var metrics = await GetAsync<MetricsResponse>(HubRoutes.Metrics(run.Id));
            var images = await GetAsync<List<RunImageDto>>(HubRoutes.Run(run.Id) + "/images");
            var parameters = await GetAsync<ParamsDto>(HubRoutes.Params(run.Id));
            result.Add(result.ContainsKey(run.Name) ? $"{run.Name}@{run.Id}" : run.Name, (run, metrics.Series.ToDictionary(s => s.Name, s => s.Points.ToList(), StringComparer.Ordinal), images, parameters));
        }

        return result;
    }

    private static void AssertSame(
        Dictionary<string, (RunDto Run, Dictionary<string, List<SeriesPoint>> Series, List<RunImageDto> Images, ParamsDto Params)> first,
        Dictionary<string, (RunDto Run, Dictionary<string, List<SeriesPoint>> Series, List<RunImageDto> Images, ParamsDto Params)> second)
    {
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, before) in first)
        {
            var after = second[name];
            Assert.Equal(before.Run.Id, after.Run.Id);
            Assert.Equal(before.Series.Keys.Order(StringComparer.Ordinal), after.Series.Keys.Order(StringComparer.Ordinal));
            foreach (var (series, points) in before.Series)
            {
                Assert.Equal(points, after.Series[series]);
            }

            Assert.Equal(before.Images.Select(i => (i.Name, i.Step, i.Sha256)), after.Images.Select(i => (i.Name, i.Step, i.Sha256)));
            Assert.Equal(before.Params.Params.Keys.Order(StringComparer.Ordinal), after.Params.Params.Keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Importing_the_golden_dvclive_folders_twice_gives_one_run_each_with_series_params_and_images()
    {
        var project = "dvc-" + Guid.NewGuid().ToString("N")[..8];
        var studio = Golden("dvclive", "studio", "output");
        var images = Golden("dvclive", "images", "output", "dvclive");
        var first = await ImportAsync(studio, project);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"imported dvclive run 'output' as", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await ImportAsync(images, project)).ExitCode);

        var snapshot = await SnapshotAsync(project);
        Assert.Equal(2, snapshot.Count);
        var run = snapshot.Values.Single(r => r.Run.Args!["path"].GetString() == Path.Combine(studio, "dvclive"));
        Assert.Equal(HubRunStatus.Finished, run.Run.Status);
        Assert.Equal("dvclive", run.Run.Args!["imported_from"].GetString());
        Assert.Equal([(0L, 1.0), (1L, 0.5)], run.Series["loss"].Select(p => (p.Step, p.Value)));
        Assert.Equal([(0L, 0.5), (1L, 0.6)], run.Series["train/acc"].Select(p => (p.Step, p.Value)));
        Assert.Equal(2, Assert.Single(run.Params.Params).Value.GetInt32());
        var image = Assert.Single(run.Images);
        var bytes = await File.ReadAllBytesAsync(Path.Combine(studio, "dvclive", "plots", "images", "img.png"));
        Assert.Equal(("img.png", 0L, (long)bytes.Length), (image.Name, image.Step, image.Size));
        Assert.Equal(bytes, await Admin.GetByteArrayAsync(HubRoutes.Run(run.Run.Id) + "/images/content?name=img.png&step=0"));

        var slider = snapshot.Values.Single(r => r.Run.Id != run.Run.Id);
        Assert.Equal(6, slider.Images.Count);
        Assert.Contains(slider.Images, i => (i.Name, i.Step) == ("slider/2.png", 2L));
        Assert.Equal([0.0, 1.0, 2.0], slider.Series["m"].Select(p => p.Value));

        var again = await ImportAsync(studio, project);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("updated dvclive run 'output'", again.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await ImportAsync(images, project)).ExitCode);
        AssertSame(snapshot, await SnapshotAsync(project));
    }

    [Fact]
    public async Task Importing_the_golden_tensorboard_directory_twice_gives_a_run_per_event_folder_with_content()
    {
        var project = "tb-" + Guid.NewGuid().ToString("N")[..8];
        var logDir = Golden("tensorboard");
        var first = await ImportAsync(logDir, project);
        Assert.True(first.ExitCode == 0, first.Error);

        var snapshot = await SnapshotAsync(project);
        // Folders with only graphs, histograms, text or the hparams header have nothing to import.
        Assert.Equal(["hparams/1700000000.0", "image", "scalars", "tb_native_scalars", "torch_scalars", "torch_scalars/hp"], snapshot.Keys.Order(StringComparer.Ordinal));
        var scalars = snapshot["scalars"];
        Assert.Equal(50, scalars.Series["train/loss"].Count);
        for (var step = 0; step < 50; step++)
        {
            var point = scalars.Series["train/loss"][step];
            Assert.Equal((long)step, point.Step);
            Assert.Equal((double)(float)(1.0 / (1 + step)), point.Value);
        }

        Assert.Equal([0.0, 0.5, 1.0], snapshot["tb_native_scalars"].Series["loss"].Select(p => p.Value));
        var hparams = snapshot["hparams/1700000000.0"].Params.Params;
        Assert.Equal(0.01, hparams["lr"].GetDouble(), 6);
        Assert.Equal(32, hparams["batch_size"].GetDouble());
        Assert.Equal("adam", hparams["optimizer"].GetString());
        Assert.True(hparams["use_bn"].GetBoolean());
        var image = Assert.Single(snapshot["image"].Images);
        Assert.Equal(("samples/gradient.png", 0L), (image.Name, image.Step));
        var png = await Admin.GetByteArrayAsync(HubRoutes.Run(snapshot["image"].Run.Id) + "/images/content?name=samples%2Fgradient.png&step=0");
        Assert.Equal((6, 8), (Stepwise.Imaging.Png.Decode(png, "image").Height, Stepwise.Imaging.Png.Decode(png, "image").Width));

        Assert.Equal(0, (await ImportAsync(logDir, project)).ExitCode);
        AssertSame(snapshot, await SnapshotAsync(project));
    }

    [Fact]
    public async Task A_run_of_our_own_engine_imports_from_its_dvclive_folder_and_its_event_files_twice_without_duplicates()
    {
        var work = Path.Combine(_dir, "work");
        Directory.CreateDirectory(work);
        var train = await CliProcess.RunAsync(_dir,
            ["train", "data=shapes", "imgsz=12", "epochs=2", "hidden=16", "batch=64", "threads=1", "plots=false", "verbose=false", "dvc=true", "tensorboard=true", $"project={Path.Combine(work, "runs")}", "name=train"],
            workingDirectory: work);
        Assert.True(train.ExitCode == 0, train.Error);

        var (_, key) = await CreateWriteKeyAsync("engine");
        Assert.Equal(0, (await CliProcess.RunAsync(_dir, ["hub", "import", Path.Combine(work, "dvclive"), $"hub_url={Hub.BaseAddress}", $"api_key={key}"])).ExitCode);
        var tb = await CliProcess.RunAsync(_dir, ["hub", "import", Path.Combine(work, "runs", "train"), $"hub_url={Hub.BaseAddress}", $"api_key={key}"]);
        Assert.True(tb.ExitCode == 0, tb.Error);

        // A write key's own project is the default.
        var snapshot = await SnapshotAsync("engine");
        Assert.Equal(["train", "work"], snapshot.Keys.Order(StringComparer.Ordinal));
        var fromDvc = snapshot["work"];
        var fromTb = snapshot["train"];
        Assert.Equal(2, fromDvc.Series["train/loss"].Count);
        Assert.Equal(2, fromTb.Series["train/loss"].Count);
        Assert.Equal(fromDvc.Series["train/loss"].Select(p => (float)p.Value), fromTb.Series["train/loss"].Select(p => (float)p.Value));
        Assert.Equal(2L, fromDvc.Params.Params["epochs"].GetInt64());
        Assert.Contains("metrics/accuracy_top1", fromDvc.Series.Keys);

        Assert.Equal(0, (await CliProcess.RunAsync(_dir, ["hub", "import", Path.Combine(work, "dvclive"), $"hub_url={Hub.BaseAddress}", $"api_key={key}"])).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(_dir, ["hub", "import", Path.Combine(work, "runs", "train"), $"hub_url={Hub.BaseAddress}", $"api_key={key}"])).ExitCode);
        AssertSame(snapshot, await SnapshotAsync("engine"));
    }

    [Fact]
    public async Task A_folder_without_logs_a_bad_tsv_a_bad_key_and_a_missing_key_fail_with_a_clear_message()
    {
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var nothing = await ImportAsync(empty, "x");
        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("holds neither a DVCLive folder nor TensorBoard event files", nothing.Error, StringComparison.Ordinal);

        var broken = Path.Combine(_dir, "broken", "dvclive", "plots", "metrics");
        Directory.CreateDirectory(broken);
        await File.WriteAllTextAsync(Path.Combine(broken, "loss.tsv"), "step\tloss\n0\toops\n");
        var bad = await ImportAsync(Path.Combine(_dir, "broken"), "x");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("loss.tsv:2: value 'oops' is not a number", bad.Error, StringComparison.Ordinal);

        var golden = Golden("dvclive", "studio", "output");
        var unknown = await ImportAsync(golden, "x", "swk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("checking the API key: the Hub answered 401", unknown.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await GetAsync<List<ProjectDto>>(HubRoutes.Projects), p => p.Name == "x");

        var (_, readKey) = await CreateWriteKeyAsync("readonly", KeyScope.Read);
        var forbidden = await ImportAsync(golden, "readonly", readKey);
        Assert.Equal(1, forbidden.ExitCode);
        Assert.Contains("creating run 'output': the Hub answered 403", forbidden.Error, StringComparison.Ordinal);

        var missing = await CliProcess.RunAsync(_dir, ["hub", "import", golden, $"hub_url={Hub.BaseAddress}"]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No API key", missing.Error, StringComparison.Ordinal);
    }

    private async Task<(string Id, string Secret)> CreateWriteKeyAsync(string project, KeyScope scope = KeyScope.Write)
    {
        var response = await Admin.PostAsJsonAsync(HubRoutes.Keys, new CreateApiKeyRequest("import", scope, project), HubJson.Options);
        var created = (await response.Content.ReadFromJsonAsync<CreatedApiKeyResponse>(HubJson.Options))!;
        return (created.Key.Id, created.Secret);
    }
}
