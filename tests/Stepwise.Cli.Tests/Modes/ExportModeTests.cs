using Stepwise.Cli.Tests.Support;

namespace Stepwise.Cli.Tests.Modes;

public sealed class ExportModeTests(CliTrainedRun run) : IClassFixture<CliTrainedRun>
{
    [Fact]
    public async Task Export_writes_onnx_next_to_the_weights_and_val_evaluates_it_like_the_checkpoint()
    {
        var export = await CliProcess.RunAsync(run.Root, ["export", $"model={run.Weights}", "format=onnx"]);
        Assert.Equal(0, export.ExitCode);
        string onnx = Path.ChangeExtension(run.Weights, ".onnx");
        Assert.True(File.Exists(onnx));
        Assert.Contains($"Results saved to {onnx}", export.Out, StringComparison.Ordinal);

        var valOnnx = await CliProcess.RunAsync(run.Root, ["val", $"model={onnx}", "plots=false", $"project={run.Root}/val"]);
        var valCheckpoint = await CliProcess.RunAsync(run.Root, ["val", $"model={run.Weights}", "plots=false", $"project={run.Root}/val"]);
        Assert.Equal(0, valOnnx.ExitCode);
        string Accuracy(string output) => output.Split('\n').Single(l => l.StartsWith("metrics/accuracy_top1=", StringComparison.Ordinal)).Split(',')[0];
        Assert.Equal(Accuracy(valCheckpoint.Out), Accuracy(valOnnx.Out));
    }

    [Fact]
    public async Task Safetensors_export_writes_a_weights_file_that_predict_can_use()
    {
        var export = await CliProcess.RunAsync(run.Root, ["export", $"model={run.Weights}", "format=safetensors"]);
        Assert.Equal(0, export.ExitCode);
        string weights = Path.Combine(Path.GetDirectoryName(run.Weights)!, "best.weights.safetensors");
        var predict = await CliProcess.RunAsync(run.Root, ["predict", $"model={weights}", $"source={run.Images}"]);
        Assert.Equal(0, predict.ExitCode);
        Assert.Equal(3, predict.Out.Split('\n').Count(l => l.StartsWith("image ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Bad_formats_missing_weights_and_unwritable_outputs_exit_non_zero_with_a_clear_message()
    {
        var format = await CliProcess.RunAsync(run.Root, ["export", $"model={run.Weights}", "format=tflite"]);
        Assert.Equal(1, format.ExitCode);
        Assert.Contains("Unsupported export format 'tflite'. Supported formats: onnx, safetensors.", format.Error, StringComparison.Ordinal);

        string missing = Path.Combine(run.Root, "nothing.safetensors");
        var weights = await CliProcess.RunAsync(run.Root, ["export", $"model={missing}"]);
        Assert.Equal(1, weights.ExitCode);
        Assert.Contains($"{missing}: model file not found.", weights.Error, StringComparison.Ordinal);

        string output = Path.Combine(run.Root, "no-such-folder", "m.onnx");
        var unwritable = await CliProcess.RunAsync(run.Root, ["export", $"model={run.Weights}", $"output={output}"]);
        Assert.Equal(1, unwritable.ExitCode);
        Assert.Contains(output, unwritable.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(output)));

        var usage = await CliProcess.RunAsync(run.Root, ["export"]);
        Assert.Equal(2, usage.ExitCode);
    }
}
