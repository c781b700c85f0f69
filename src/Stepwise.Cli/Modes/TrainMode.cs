using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Serialization;
using Stepwise.Settings;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise train</c>: trains the built-in classifier and writes a run directory.</summary>
internal sealed class TrainMode(IReadOnlyList<ICallbackIntegration>? integrations = null) : ICliMode
{
    public string Name => "train";

    public string Summary => "Train the built-in MLP classifier (default: generated shapes dataset).";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage: stepwise train [key=value ...]");
        writer.WriteLine();
        writer.WriteLine("Trains a multilayer perceptron and writes runs/classify/train (then train2, train3 ...):");
        writer.WriteLine("args.yaml, results.csv, results.png, confusion matrices, batch mosaics and");
        writer.WriteLine("weights/last.safetensors + weights/best.safetensors. Ctrl+C stops after the current batch,");
        writer.WriteLine("saves last and exits with 130; resume with resume=true model=<run>/weights/last.safetensors.");
        writer.WriteLine();
        writer.WriteLine("Keys:");
        WriteKeys(writer);
        writer.WriteLine();
        writer.WriteLine("Settings keys (dvc, tensorboard, hub, runs_dir ...) are accepted as per-run overrides.");
        writer.WriteLine();
        writer.WriteLine("Examples:");
        writer.WriteLine("  stepwise train");
        writer.WriteLine("  stepwise train epochs=20 batch=64 optimizer=SGD lr0=0.05 cos_lr=true name=sgd");
        writer.WriteLine("  stepwise train data=path/to/images imgsz=32 hidden=512,256 dropout=0.1");
        writer.WriteLine("  stepwise train resume=true model=runs/classify/train/weights/last.safetensors");
    }

    public Task<int> RunAsync(CliArguments args, CliContext context)
    {
        args.RejectPositionals();

        var settings = StepwiseSettings.Resolve(context.Settings, args.Options);
        TrainArgs trainArgs;
        try
        {
            trainArgs = TrainArgs.Parse(args.Options, SettingsSchema.Keys.Select(k => k.Key));
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        Trainer trainer;
        try
        {
            trainer = new Trainer(trainArgs, new TrainerOptions
            {
                Settings = settings,
                Integrations = integrations ?? CliIntegrations.Create(settings),
                Output = context.Out,
                IsTerminal = context.IsTerminal,
                Cancellation = context.Cancellation,
                Time = context.Time,
            });
        }
        catch (Exception ex) when (ex is SafeTensorsException or InvalidOperationException or ArgumentException)
        {
            context.Error.WriteLine($"stepwise train: {ex.Message}");
            return Task.FromResult(1);
        }

        try
        {
            trainer.Train();
        }
        catch (Exception ex)
        {
            // The trainer already ran on_train_end/teardown with Status=Failed; report and fail.
            context.Error.WriteLine($"stepwise train: {ex.Message}");
            return Task.FromResult(1);
        }

        if (trainer.Status == RunStatus.StoppedByCallback)
        {
            context.Error.WriteLine($"stepwise train: stopped: {trainer.StopReason}. Resume with: stepwise train resume=true model={trainer.LastPath}");
            return Task.FromResult(context.Cancellation.IsCancellationRequested ? 130 : 1);
        }

        return Task.FromResult(0);
    }

    internal static void WriteKeys(TextWriter writer)
    {
        int width = TrainArgs.Keys.Max(k => k.Key.Length) + 2;
        foreach (var (key, value, help) in TrainArgs.Keys)
        {
            writer.WriteLine($"  {key.PadRight(width)}{help} Default: {value}.");
        }
    }
}
