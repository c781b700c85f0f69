using System.Globalization;
using Stepwise.Engine;
using Stepwise.Serialization;
using Stepwise.Settings;
using Stepwise.Tasks;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise val</c>: evaluates a checkpoint on a validation split.</summary>
internal sealed class ValMode : ICliMode
{
    public string Name => "val";

    public string Summary => "Validate a checkpoint: top-1/top-5 accuracy, loss, confusion matrix.";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage: stepwise val model=<checkpoint.safetensors | exported .onnx> [data=...] [batch=...] [key=value ...]");
        writer.WriteLine();
        writer.WriteLine("Evaluates the checkpoint on the validation split of 'data' (default: the dataset it was");
        writer.WriteLine("trained on) and writes plots to runs/classify/val (then val2 ...).");
        writer.WriteLine();
        writer.WriteLine("Keys: the same as 'stepwise train' (model is required; data, imgsz, batch, threads, plots,");
        writer.WriteLine("project, name, exist_ok are the ones that matter).");
        writer.WriteLine();
        writer.WriteLine("Example:");
        writer.WriteLine("  stepwise val model=runs/classify/train/weights/best.safetensors");
        writer.WriteLine("  stepwise val model=runs/classify/train/weights/best.onnx");
    }

    public Task<int> RunAsync(CliArguments args, CliContext context)
    {
        args.RejectPositionals();

        args.Require("model", "<run>/weights/best.safetensors");

        var settings = StepwiseSettings.Resolve(context.Settings, args.Options);
        var validator = new Validator(CliRegistry.Create(settings), timeProvider: context.Time);
        try
        {
            var metrics = validator.Run(args.Options, settings, context.Out, context.IsTerminal);
            context.Out.WriteLine(string.Join(", ", metrics.Select(kv => $"{kv.Key}={kv.Value.ToString("0.#####", CultureInfo.InvariantCulture)}")));
            return Task.FromResult(0);
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("Unknown argument", StringComparison.Ordinal) || ex.Message.StartsWith("Argument ", StringComparison.Ordinal))
        {
            throw new CliUsageException(ex.Message);
        }
        catch (Exception ex) when (ex is DatasetException or SafeTensorsException or ModelLoadException or ArgumentException or IOException)
        {
            context.Error.WriteLine($"stepwise val: {ex.Message}");
            return Task.FromResult(1);
        }
    }
}
