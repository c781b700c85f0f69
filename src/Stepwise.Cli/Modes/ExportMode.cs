using Stepwise.Engine;
using Stepwise.Settings;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise export</c>: writes a checkpoint as ONNX or as safetensors weights.</summary>
internal sealed class ExportMode : ICliMode
{
    public string Name => "export";

    public string Summary => "Export a checkpoint to ONNX (opset 17) or safetensors weights.";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage: stepwise export model=<checkpoint.safetensors> [format=onnx|safetensors] [output=<path>]");
        writer.WriteLine();
        writer.WriteLine("Writes the model next to its weights: best.safetensors -> best.onnx (format=onnx) or");
        writer.WriteLine("best.weights.safetensors (format=safetensors: weights only, with class names, input size");
        writer.WriteLine("and architecture in the metadata). The file appears complete or not at all.");
        writer.WriteLine();
        writer.WriteLine("Keys:");
        writer.WriteLine("  model    Checkpoint or exported weights (.safetensors) to export (required).");
        writer.WriteLine("  format   onnx or safetensors. Default: onnx.");
        writer.WriteLine("  output   Output file. Default: next to the weights.");
        writer.WriteLine();
        writer.WriteLine("Examples:");
        writer.WriteLine("  stepwise export model=runs/classify/train/weights/best.safetensors");
        writer.WriteLine("  stepwise export model=runs/classify/train/weights/best.safetensors format=safetensors");
        writer.WriteLine("  stepwise predict model=runs/classify/train/weights/best.onnx source=images/");
    }

    public Task<int> RunAsync(CliArguments args, CliContext context)
    {
        args.RejectPositionals();

        args.Require("model", "<run>/weights/best.safetensors");

        var settings = StepwiseSettings.Resolve(context.Settings, args.Options);
        var exporter = new Exporter(CliRegistry.Create(settings), timeProvider: context.Time);
        try
        {
            exporter.Run(args.Options, context.Out);
            return Task.FromResult(0);
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("Unknown argument", StringComparison.Ordinal) || ex.Message.StartsWith("Argument ", StringComparison.Ordinal))
        {
            throw new CliUsageException(ex.Message);
        }
        catch (Exception ex) when (ex is ModelLoadException or ExportException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"stepwise export: {ex.Message}");
            return Task.FromResult(1);
        }
    }
}
