using Stepwise.Cli.Tests.Support;

namespace Stepwise.Cli.Tests;

public sealed class CliIntegrationsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "stepwise-cli-dvc-" + Guid.NewGuid().ToString("N"));

    public CliIntegrationsTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string[] Train(string project, params string[] extra) =>
        ["train", "data=shapes", "imgsz=12", "epochs=2", "hidden=16", "batch=64", "verbose=false", $"project={project}", "name=train", .. extra];

    [Fact]
    public async Task Train_with_dvc_true_writes_the_dvclive_folder_in_the_working_directory()
    {
        string work = Path.Combine(_root, "work");
        Directory.CreateDirectory(work);
        var result = await CliProcess.RunAsync(_root, Train(Path.Combine(work, "runs"), "dvc=true"), workingDirectory: work);

        Assert.True(result.ExitCode == 0, result.Error);
        string live = Path.Combine(work, "dvclive");
        Assert.Contains("\"step\": 1\n", File.ReadAllText(Path.Combine(live, "metrics.json")), StringComparison.Ordinal);
        Assert.Equal("step\tloss", File.ReadLines(Path.Combine(live, "plots", "metrics", "train", "loss.tsv")).First());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(live, "plots", "metrics", "metrics", "accuracy_top1.tsv")).Length);
        Assert.Contains("epochs: 2\n", File.ReadAllText(Path.Combine(live, "params.yaml")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(live, "plots", "sklearn", "cf.json")));
        Assert.True(File.Exists(Path.Combine(live, "plots", "images", "train", "train_batch", "0.png")));
        string dvcYaml = File.ReadAllText(Path.Combine(work, "dvc.yaml"));
        Assert.StartsWith("params:\n- dvclive/params.yaml\nmetrics:\n- dvclive/metrics.json\nplots:\n- dvclive/plots/metrics:\n    x: step\n", dvcYaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dvc_setting_switches_the_logger_and_a_per_run_argument_overrides_it()
    {
        async Task<bool> TrainIn(string name, params string[] extra)
        {
            string work = Path.Combine(_root, name);
            Directory.CreateDirectory(work);
            var result = await CliProcess.RunAsync(_root, Train(Path.Combine(work, "runs"), ["plots=false", .. extra]), workingDirectory: work);
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal(Directory.Exists(Path.Combine(work, "dvclive")), File.Exists(Path.Combine(work, "dvc.yaml")));
            return Directory.Exists(Path.Combine(work, "dvclive"));
        }

        Assert.Equal(0, (await CliProcess.RunAsync(_root, ["settings", "dvc=true"])).ExitCode);
        Assert.True(await TrainIn("on"));
        Assert.False(await TrainIn("override", "dvc=false"));
        Assert.Equal(0, (await CliProcess.RunAsync(_root, ["settings", "dvc=false"])).ExitCode);
        Assert.False(await TrainIn("off"));
    }
}
