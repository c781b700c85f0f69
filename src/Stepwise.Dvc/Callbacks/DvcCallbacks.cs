using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Engine;

namespace Stepwise.Dvc;

/// <summary>
/// The DVC logger for the <see cref="Trainer"/>, with the reference callbacks' semantics: a
/// <see cref="Live"/> per run (experiment saving and image caching on), params at train start, per
/// epoch the labelled train losses, metrics and learning rates (model info once, not plotted), new
/// plots as images (batch mosaics grouped for the step slider), <see cref="Live.NextStep"/>; at the end
/// the final metrics, the confusion matrix, the best weights as a <c>model</c> artifact and
/// <see cref="Live.End"/>.
/// </summary>
public sealed partial class DvcCallbacks : IDisposable
{
    private readonly DvcCallbackOptions _options;
    private readonly Dictionary<string, DateTimeOffset> _processedPlots = new(StringComparer.Ordinal);
    private Live? _live;
    private bool _trainingEpoch;

    /// <summary>Creates the callbacks.</summary>
    /// <param name="options">Options; defaults as the reference.</param>
    public DvcCallbacks(DvcCallbackOptions? options = null)
    {
        _options = options ?? new DvcCallbackOptions();
    }

    /// <summary>The run's logger once started (null before pretrain or when it could not start).</summary>
    public Live? Live => _live;

    /// <summary>Registers the handlers as integration callbacks.</summary>
    /// <param name="registry">The registry.</param>
    public void Attach(CallbackRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var options = CallbackOptions.Integration("dvc");
        registry.Add(TrainerEvents.PretrainRoutineStart, OnPretrainRoutineStart, options);
        registry.Add(TrainerEvents.PretrainRoutineEnd, OnPretrainRoutineEnd, options);
        registry.Add(TrainerEvents.TrainStart, OnTrainStart, options);
        registry.Add(TrainerEvents.TrainEpochStart, OnTrainEpochStart, options);
        registry.Add(TrainerEvents.FitEpochEnd, OnFitEpochEnd, options);
        registry.Add(TrainerEvents.TrainEnd, OnTrainEnd, options);
    }

    /// <summary><c>on_pretrain_routine_start</c>: starts the <see cref="Live"/>; a failure is a warning and the run goes on unlogged.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnPretrainRoutineStart(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        _live?.Dispose();
        _live = null;
        _processedPlots.Clear();
        try
        {
            var factory = _options.CreateLiveOptions ?? DvcCallbackOptions.DefaultLiveOptions;
            _live = new Live(factory(trainer));
            trainer.Logger.LogInformation("DVCLive is detected and auto logging is enabled (run 'dvc plots show' or open dvc.yaml's plots to see them).");
        }
        catch (Exception ex)
        {
            trainer.Logger.LogWarning("DVCLive could not be initialized, not logging this run. {Message}", ex.Message);
        }
    }

    /// <summary><c>on_pretrain_routine_end</c>: logs the trainer's plots made so far (prefix <c>train</c>).</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnPretrainRoutineEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        LogPlots(trainer.Plots, "train");
    }

    /// <summary><c>on_train_start</c>: logs the run's arguments as params.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainStart(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        _live?.LogParams(trainer.ArgsDictionary);
    }

    /// <summary><c>on_train_epoch_start</c>: marks a training epoch (so only its fit-epoch-end logs a step).</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainEpochStart(Trainer trainer) => _trainingEpoch = true;

    /// <summary><c>on_fit_epoch_end</c>: losses, metrics, learning rates, model info at the first epoch, new plots, next step.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnFitEpochEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_live is not { } live || !_trainingEpoch)
        {
            return;
        }

        // One step per epoch, also across a resumed run (the checkpoint is written before this event).
        live.Step = trainer.Epoch;
        foreach (var (name, value) in AllMetrics(trainer))
        {
            live.LogMetric(name, value);
        }

        if (trainer.Epoch == 0)
        {
            foreach (var (name, value) in trainer.ModelInfoForLoggers())
            {
                LogNumber(live, name, value, plot: false);
            }
        }

        LogPlots(trainer.Plots, "train");
        LogPlots(trainer.Validator.Plots, "val");
        live.NextStep();
        _trainingEpoch = false;
    }

    /// <summary>
    /// <c>on_train_end</c>: final metrics (not plotted), validation plots, the confusion matrix
    /// (<c>cf.json</c>, normalized template), the best weights as a copied <c>model</c> artifact, then end.
    /// </summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_live is not { } live)
        {
            return;
        }

        try
        {
            foreach (var (name, value) in AllMetrics(trainer))
            {
                live.LogMetric(name, value, plot: false);
            }

            LogPlots(trainer.Validator.Plots, "val");
            if (trainer.Validator.ConfusionMatrix is { Total: > 0 } matrix)
            {
                var targets = new List<string>();
                var predictions = new List<string>();
                var names = matrix.ClassNames;
                for (var t = 0; t < names.Count; t++)
                {
                    for (var p = 0; p < names.Count; p++)
                    {
                        for (var k = 0; k < matrix.Counts[t, p]; k++)
                        {
                            targets.Add(names[t]);
                            predictions.Add(names[p]);
                        }
                    }
                }

                live.LogSklearnPlot("confusion_matrix", targets, predictions, name: "cf.json", normalized: true);
            }

            if (File.Exists(trainer.BestPath))
            {
                live.LogArtifact(trainer.BestPath, type: "model", copy: true);
            }
        }
        finally
        {
            live.Dispose();
            _live = null;
        }
    }

    /// <summary>Ends a run that is still open (e.g. when training never reached its end event).</summary>
    public void Dispose()
    {
        _live?.Dispose();
        _live = null;
    }

    private static IEnumerable<KeyValuePair<string, double>> AllMetrics(Trainer trainer)
    {
        var all = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var source in new[] { trainer.LabelLossItems("train"), trainer.Metrics, trainer.Lr })
        {
            foreach (var (key, value) in source)
            {
                if (!all.ContainsKey(key))
                {
                    order.Add(key);
                }

                all[key] = value;
            }
        }

        return order.Select(k => new KeyValuePair<string, double>(k, all[k]));
    }

    // Integral model info (parameter counts) is an int in the reference's files.
    private static void LogNumber(Live live, string name, double value, bool plot)
    {
        if (Math.Abs(value) < 9e15 && value == Math.Floor(value) && name.EndsWith("parameters", StringComparison.Ordinal))
        {
            live.LogMetric(name, (long)value, plot: plot);
        }
        else
        {
            live.LogMetric(name, value, plot: plot);
        }
    }

    private void LogPlots(IReadOnlyDictionary<string, PlotRecord> plots, string prefix)
    {
        if (_live is not { } live)
        {
            return;
        }

        foreach (var (path, record) in plots)
        {
            if (_processedPlots.TryGetValue(path, out var seen) && seen == record.Timestamp)
            {
                continue;
            }

            if (File.Exists(path))
            {
                live.LogImage(prefix + "/" + ImageName(path), path);
            }

            _processedPlots[path] = record.Timestamp;
        }
    }

    /// <summary><c>train_batch2.png</c> → <c>train_batch/2.png</c>, so the batches form a step slider.</summary>
    internal static string ImageName(string path)
    {
        var name = Path.GetFileName(path);
        var match = BatchPattern().Match(name);
        if (!match.Success)
        {
            return name;
        }

        var stem = BatchPattern().Replace(Path.GetFileNameWithoutExtension(path), "_batch");
        return stem + "/" + match.Groups[1].Value + Path.GetExtension(path);
    }

    [GeneratedRegex(@"_batch(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex BatchPattern();
}
