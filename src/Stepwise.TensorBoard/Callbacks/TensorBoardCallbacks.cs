using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.TensorBoard.Writing;

namespace Stepwise.TensorBoard.Callbacks;

/// <summary>
/// The TensorBoard logger of a training run, with the reference's semantics: a writer on the run's
/// directory at pretrain start (a failure is a warning and the run goes on without it), the model
/// graph at train start, train loss and learning rates at each train epoch end and metrics at each fit
/// epoch end (step = epoch + 1). Beyond the reference: weight histograms per epoch, the validator's
/// sample images, the run's arguments as hparams with the final metrics, a flush after every epoch and
/// at train end, and close at teardown.
/// </summary>
public sealed class TensorBoardCallbacks : IDisposable
{
    /// <summary>The integration name used in warnings.</summary>
    public const string IntegrationName = "tensorboard";

    private readonly TensorBoardCallbackOptions _options;
    private readonly Func<Trainer, SummaryWriter>? _createWriter;
    private readonly Dictionary<string, DateTimeOffset> _loggedPlots = new(StringComparer.Ordinal);
    private SummaryWriter? _writer;

    /// <summary>Creates the callbacks.</summary>
    /// <param name="options">What to log; defaults when null.</param>
    public TensorBoardCallbacks(TensorBoardCallbackOptions? options = null)
        : this(options, null)
    {
    }

    internal TensorBoardCallbacks(TensorBoardCallbackOptions? options, Func<Trainer, SummaryWriter>? createWriter)
    {
        _options = options ?? new TensorBoardCallbackOptions();
        _createWriter = createWriter;
    }

    /// <summary>The open writer, or null before pretrain start, after teardown or when it could not be created.</summary>
    public SummaryWriter? Writer => _writer;

    /// <summary>Registers the handlers as isolated integration handlers.</summary>
    /// <param name="registry">The registry.</param>
    public void Register(CallbackRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddIntegration(TrainerEvents.PretrainRoutineStart, OnPretrainRoutineStart, IntegrationName);
        registry.AddIntegration(TrainerEvents.TrainStart, OnTrainStart, IntegrationName);
        registry.AddIntegration(TrainerEvents.TrainEpochEnd, OnTrainEpochEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.FitEpochEnd, OnFitEpochEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.FinalEvalEnd, OnFinalEvalEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.TrainEnd, OnTrainEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.Teardown, OnTeardown, IntegrationName);
    }

    /// <summary><c>on_pretrain_routine_start</c>: opens the writer on the run directory and prints how to view it.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnPretrainRoutineStart(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        try
        {
            _writer?.Dispose();
            _writer = _createWriter?.Invoke(trainer) ?? new SummaryWriter(trainer.SaveDir, new SummaryWriterOptions
            {
                File = new EventFileWriterOptions { Time = trainer.Time, FlushInterval = _options.FlushInterval },
            });
            string hint = $"TensorBoard: Start with 'tensorboard --logdir {trainer.SaveDir}', view at http://localhost:6006/";
            trainer.Logger.LogInformation("{Hint}", hint);
            _options.Console?.WriteLine(hint);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _writer = null;
            trainer.Logger.LogWarning("TensorBoard: not logging this run, the event file could not be created: {Message}", ex.Message);
            _options.Console?.WriteLine($"TensorBoard: WARNING not logging this run: {ex.Message}");
        }
    }

    /// <summary><c>on_train_start</c>: logs the model graph (a failure is a warning).</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainStart(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_writer is null || !_options.Graph || trainer.Model is null)
        {
            return;
        }

        try
        {
            _writer.AddGraph(ModelGraph.FromLayers(trainer.Model.Layers));
        }
        catch (Exception ex) when (ex is ArgumentException or IOException)
        {
            trainer.Logger.LogWarning("TensorBoard: graph not logged: {Message}", ex.Message);
        }
    }

    /// <summary><c>on_train_epoch_end</c>: train loss items and learning rates at step epoch + 1.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainEpochEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_writer is null)
        {
            return;
        }

        long step = trainer.Epoch + 1;
        WriteScalars(trainer.LabelLossItems("train"), step);
        WriteScalars(trainer.Lr, step);
    }

    /// <summary><c>on_fit_epoch_end</c>: metrics, weight histograms and new validation images at step epoch + 1, then a flush.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnFitEpochEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_writer is null)
        {
            return;
        }

        long step = trainer.Epoch + 1;
        WriteScalars(trainer.Metrics, step);
        if (_options.WeightHistograms && trainer.Model is { } model)
        {
            foreach (var parameter in model.Parameters())
            {
                _writer.AddHistogram("weights/" + parameter.Name, parameter.Data, step);
            }
        }

        WriteValidationImages(trainer, step);
        _writer.Flush();
    }

    /// <summary><c>on_final_eval_end</c>: validation images of the best model's evaluation.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnFinalEvalEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_writer is not null)
        {
            WriteValidationImages(trainer, Math.Max(trainer.Epoch + 1, 0));
        }
    }

    /// <summary><c>on_train_end</c>: the run's arguments as hparams with the final metrics, then a flush.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_writer is null)
        {
            return;
        }

        try
        {
            if (_options.HParams)
            {
                var hparams = trainer.ArgsDictionary
                    .Where(kv => kv.Key != "save_dir" && kv.Value is not null)
                    .ToDictionary(kv => kv.Key, kv => (object?)(kv.Value is bool or string or int or long or double or float ? kv.Value : TrainArgs.FormatValue(kv.Value)), StringComparer.Ordinal);
                var final = trainer.Metrics.ToDictionary(kv => "final/" + kv.Key, kv => kv.Value, StringComparer.Ordinal);
                var status = trainer.Status switch
                {
                    RunStatus.Completed or RunStatus.EarlyStopped => HParamsStatus.Success,
                    RunStatus.Failed => HParamsStatus.Failure,
                    RunStatus.Running => HParamsStatus.Running,
                    _ => HParamsStatus.Unknown,
                };
                var perEpoch = trainer.Metrics.Keys.Concat(trainer.LabelLossItems("train").Keys).Distinct(StringComparer.Ordinal).ToList();
                _writer.AddHParams(hparams, final, new HParamsOptions { Step = Math.Max(trainer.Epoch + 1, 0), MetricTags = perEpoch, Status = status });
            }
        }
        finally
        {
            _writer.Flush();
        }
    }

    /// <summary><c>teardown</c>: closes the writer.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTeardown(Trainer trainer) => Dispose();

    /// <summary>Closes the writer if it is open.</summary>
    public void Dispose()
    {
        var writer = _writer;
        _writer = null;
        writer?.Dispose();
    }

    private void WriteScalars(IReadOnlyDictionary<string, double> values, long step)
    {
        foreach (var (tag, value) in values)
        {
            _writer!.AddScalar(tag, value, step);
        }
    }

    private void WriteValidationImages(Trainer trainer, long step)
    {
        if (!_options.ValidationImages)
        {
            return;
        }

        foreach (var (path, record) in trainer.Validator.Plots)
        {
            if (_loggedPlots.TryGetValue(path, out var seen) && seen == record.Timestamp)
            {
                continue;
            }

            _loggedPlots[path] = record.Timestamp;
            if (!File.Exists(path) || !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                _writer!.AddImageEncoded("val/" + Path.GetFileNameWithoutExtension(path), File.ReadAllBytes(path), step);
            }
            catch (Exception ex) when (ex is IOException or Stepwise.Imaging.PngFormatException)
            {
                trainer.Logger.LogWarning("TensorBoard: image {Path} not logged: {Message}", path, ex.Message);
            }
        }
    }
}
