using Stepwise.Cli.Tests.Support;

namespace Stepwise.Cli.Tests.Modes;

public sealed class PredictModeTests(CliTrainedRun run) : IClassFixture<CliTrainedRun>
{
    [Fact]
    public async Task Predict_prints_a_line_per_image_and_saves_annotated_images_and_labels()
    {
        string project = Path.Combine(run.Root, "predict-runs");
        var result = await CliProcess.RunAsync(run.Root, ["predict", $"model={run.Weights}", $"source={run.Images}", "save=true", "save_txt=true", $"project={project}"]);

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^image 1/3 .*img_0\.png: 24x24 (\w+ \d\.\d\d, ){5}\d+\.\dms$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Speed: ", StringComparison.Ordinal) && l.EndsWith("per image at shape (1, 1, 12, 12)", StringComparison.Ordinal));
        Assert.Contains($"Results saved to {Path.Combine(project, "predict")}", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "predict", "img_2.png")));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(project, "predict", "labels", "img_2.txt")).Length);
    }

    [Fact]
    public async Task Predict_with_the_exported_onnx_model_gives_the_same_top_classes_as_the_checkpoint()
    {
        string onnx = Path.Combine(run.Root, "copy.onnx");
        var export = await CliProcess.RunAsync(run.Root, ["export", $"model={run.Weights}", $"output={onnx}"]);
        Assert.Equal(0, export.ExitCode);

        var fromCheckpoint = await CliProcess.RunAsync(run.Root, ["predict", $"model={run.Weights}", $"source={run.Images}/*.png", "batch=3"]);
        var fromOnnx = await CliProcess.RunAsync(run.Root, ["predict", $"model={onnx}", $"source={run.Images}/*.png", "batch=3"]);
        static IEnumerable<string> Tops(string output) => output.Split('\n').Where(l => l.StartsWith("image ", StringComparison.Ordinal)).Select(l => l[..l.LastIndexOf(',')]);
        Assert.Equal(0, fromOnnx.ExitCode);
        Assert.Equal(Tops(fromCheckpoint.Out), Tops(fromOnnx.Out));
    }

    [Fact]
    public async Task An_unreadable_image_is_skipped_and_reported_and_a_source_with_nothing_readable_exits_1()
    {
        string folder = Path.Combine(run.Root, "mixed");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(run.Images, "img_0.png"), Path.Combine(folder, "a.png"));
        File.WriteAllText(Path.Combine(folder, "b.png"), "not a png");

        var mixed = await CliProcess.RunAsync(run.Root, ["predict", $"model={run.Weights}", $"source={folder}"]);
        Assert.Equal(0, mixed.ExitCode);
        Assert.Contains($"WARNING skipping {Path.Combine(folder, "b.png")}: ", mixed.Out, StringComparison.Ordinal);
        Assert.Contains("Skipped 1 of 2 inputs that could not be read", mixed.Out, StringComparison.Ordinal);

        var none = await CliProcess.RunAsync(run.Root, ["predict", $"model={run.Weights}", $"source={Path.Combine(folder, "b.png")}"]);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no input could be predicted (1 skipped)", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_arguments_bad_models_and_missing_sources_are_clear_errors()
    {
        var usage = await CliProcess.RunAsync(run.Root, ["predict", $"model={run.Weights}"]);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("'source' is required", usage.Error, StringComparison.Ordinal);

        string broken = Path.Combine(run.Root, "broken.onnx");
        File.WriteAllText(broken, "garbage");
        var model = await CliProcess.RunAsync(run.Root, ["predict", $"model={broken}", $"source={run.Images}"]);
        Assert.Equal(1, model.ExitCode);
        Assert.StartsWith($"stepwise predict: {broken}: ", model.Error, StringComparison.Ordinal);

        var source = await CliProcess.RunAsync(run.Root, ["predict", $"model={run.Weights}", "source=nowhere/"]);
        Assert.Equal(1, source.ExitCode);
        Assert.Contains("Source 'nowhere/' does not exist", source.Error, StringComparison.Ordinal);

        var unknown = await CliProcess.RunAsync(run.Root, ["predict", $"model={run.Weights}", $"source={run.Images}", "sav=true"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown argument 'sav'. Did you mean save?", unknown.Error, StringComparison.Ordinal);
    }
}
