using Stepwise.Engine;
using Stepwise.Settings;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise predict</c>: runs a model on images or a CSV file and prints the top classes.</summary>
internal sealed class PredictMode : ICliMode
{
    public string Name => "predict";

    public string Summary => "Predict classes of images (file, folder, glob) or CSV rows with a checkpoint or ONNX model.";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage: stepwise predict model=<weights .safetensors or .onnx> source=<image | folder | glob | .csv> [key=value ...]");
        writer.WriteLine();
        writer.WriteLine("Prints one line per input with its top-5 classes and timings. Images of any size and colour");
        writer.WriteLine("type are converted to the model's input (gray, resized). Unreadable images are reported and");
        writer.WriteLine("skipped. A CSV must have the model's feature columns ('label' and 'split' are ignored).");
        writer.WriteLine();
        writer.WriteLine("Keys:");
        writer.WriteLine("  model      Checkpoint, exported weights or ONNX model (required).");
        writer.WriteLine("  source     Image file, folder of images, glob (dir/*.png, dir/**/*.png) or .csv file (required).");
        writer.WriteLine("  batch      Inputs per batch. Default: 1.");
        writer.WriteLine("  save       Write images with their top classes drawn to runs/classify/predict[N]. Default: false.");
        writer.WriteLine("  save_txt   Write labels/<name>.txt per input ('0.93 circle' lines). Default: false.");
        writer.WriteLine("  project    Parent of the run directory. Default: <runs_dir>/classify.");
        writer.WriteLine("  name       Run directory name. Default: predict (then predict2 ...).");
        writer.WriteLine("  exist_ok   Reuse an existing run directory. Default: false.");
        writer.WriteLine("  verbose    One line per input and the speed summary. Default: true.");
        writer.WriteLine("  threads    Compute threads (0 = all cores). Default: 0.");
        writer.WriteLine();
        writer.WriteLine("Exit codes: 0 when at least one input was predicted, 1 when none could be or the model or");
        writer.WriteLine("source is unusable, 2 for a wrong command line.");
        writer.WriteLine();
        writer.WriteLine("Examples:");
        writer.WriteLine("  stepwise predict model=runs/classify/train/weights/best.safetensors source=images/");
        writer.WriteLine("  stepwise predict model=best.onnx source='photos/*.png' save=true save_txt=true");
        writer.WriteLine("  stepwise predict model=iris/weights/best.safetensors source=new_rows.csv");
    }

    public Task<int> RunAsync(CliArguments args, CliContext context)
    {
        args.RejectPositionals();

        args.Require("model", "<run>/weights/best.safetensors");

        if (args.Get("source") is null)
        {
            throw new CliUsageException("Argument 'source' is required: source=<image, folder, glob or .csv>.");
        }

        var settings = StepwiseSettings.Resolve(context.Settings, args.Options);
        var predictor = new Predictor(CliRegistry.Create(settings), timeProvider: context.Time);
        try
        {
            int count = predictor.Run(args.Options, settings, context.Out);
            if (count == 0)
            {
                context.Error.WriteLine($"stepwise predict: no input could be predicted ({predictor.Skipped.Count} skipped).");
                return Task.FromResult(1);
            }

            return Task.FromResult(0);
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("Unknown argument", StringComparison.Ordinal) || ex.Message.StartsWith("Argument ", StringComparison.Ordinal))
        {
            throw new CliUsageException(ex.Message);
        }
        catch (Exception ex) when (ex is ModelLoadException or PredictionSourceException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"stepwise predict: {ex.Message}");
            return Task.FromResult(1);
        }
    }
}
