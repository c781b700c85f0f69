using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Imaging;
using Stepwise.Serialization;
using Stepwise.Settings;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>
/// Trains the built-in MLP classifier and raises the trainer events (see TrainerEvents) in the
/// reference order, with the documented fixes: optimizer events fire for real, the final evaluation
/// raises <c>on_final_eval_end</c> instead of a second <c>on_fit_epoch_end</c>, and
/// <c>on_train_end</c>/<c>teardown</c> always run with the run's <see cref="Status"/>.
/// </summary>
public sealed class Trainer : EngineBase
{
    private static readonly string[] ResultColumns =
        ["epoch", "time", "train/loss", "metrics/accuracy_top1", "metrics/accuracy_top5", "val/loss", "lr/pg0", "lr/pg1", "lr/pg2"];

    private readonly TrainerOptions _options;
    private readonly Checkpoint? _resumeFrom;
    private readonly Dictionary<string, PlotRecord> _plots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _lr = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, object?> _argsDictionary;
    private TextWriter? _out;
    private ClassificationData? _data;
    private Optimizer? _optimizer;
    private LrSchedule? _schedule;
    private readonly EarlyStopping _stopper;
    private int[] _trainIndices = [];
    private double _lossSum;
    private int _lossCount;
    private long _trainStart;
    private double _secondsBefore;
    private int _resumeBatch;
    private bool _started;

    /// <summary>Creates a trainer with default arguments (as the reference's engines are created from a model object).</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Trainer(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(TrainArgs.Default, new TrainerOptions { Callbacks = callbacks, Logger = logger, Time = timeProvider })
    {
    }

    /// <summary>
    /// Creates a trainer: resolves the run directory (not created until <see cref="Train"/>), checks a
    /// checkpoint to resume (a corrupt or finished one is refused here, before anything is written)
    /// and attaches the integrations whose settings switch is on.
    /// </summary>
    /// <param name="args">Resolved arguments.</param>
    /// <param name="options">Callbacks, integrations, settings, console, cancellation.</param>
    /// <exception cref="SafeTensorsException">The checkpoint to resume is unreadable.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint to resume belongs to a finished run.</exception>
    public Trainer(TrainArgs args, TrainerOptions? options = null)
        : base((options ?? new TrainerOptions()).Callbacks, (options ?? new TrainerOptions()).Logger, (options ?? new TrainerOptions()).Time)
    {
        ArgumentNullException.ThrowIfNull(args);
        _options = options ?? new TrainerOptions();
        var settings = _options.Settings ?? StepwiseSettings.Defaults();
        if (args.Resume)
        {
            string path = args.Model ?? throw new ArgumentException("resume=true needs model=<run>/weights/last.safetensors.");
            _resumeFrom = Checkpoint.Load(path);
            if (_resumeFrom.Finished)
            {
                throw new InvalidOperationException($"{path}: training to {_resumeFrom.Epochs} epochs is finished, nothing to resume. Start a new run without resume=true.");
            }

            string saveDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path))!)!;
            args = TrainArgs.FromValues(_resumeFrom.Args, new Dictionary<string, string>()).With(("resume", true), ("model", path));
            SaveDir = saveDir;
        }
        else
        {
            string project = args.Project ?? Path.Combine(settings.RunsDir, args.Task);
            SaveDir = Path.GetFullPath(RunFiles.IncrementPath(project, args.Name ?? "train", args.ExistOk));
        }

        Args = args;
        Epochs = args.Epochs;
        _stopper = new EarlyStopping(args.Patience);
        _argsDictionary = new SortedDictionary<string, object?>(args.ToDictionary().ToDictionary(), StringComparer.Ordinal)
        {
            ["save_dir"] = SaveDir,
        };
        LastPath = Path.Combine(SaveDir, "weights", "last.safetensors");
        BestPath = Path.Combine(SaveDir, "weights", "best.safetensors");
        Validator = new Validator(Callbacks, Logger, Time);
        foreach (var integration in _options.Integrations)
        {
            if (!SettingsSchema.TryGet(integration.SettingKey, out _))
            {
                Logger.LogWarning("Integration {Name}: unknown settings key '{Key}', not attached.", integration.Name, integration.SettingKey);
                continue;
            }

            if (settings.IsEnabled(integration.SettingKey))
            {
                Callbacks.Attach(integration);
            }
        }
    }

    /// <summary>The resolved arguments.</summary>
    public TrainArgs Args { get; }

    /// <summary>Every resolved argument plus <c>save_dir</c>, snake_case keys as in args.yaml.</summary>
    public IReadOnlyDictionary<string, object?> ArgsDictionary => _argsDictionary;

    /// <summary>Current epoch, 0-based; -1 before the first epoch.</summary>
    public int Epoch { get; private set; } = -1;

    /// <summary>Total epochs.</summary>
    public int Epochs { get; }

    /// <summary>First epoch of this session (non-zero when resumed).</summary>
    public int StartEpoch { get; private set; }

    /// <summary>Index of the current batch in the epoch.</summary>
    public int BatchIndex { get; private set; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount { get; private set; }

    /// <summary>Global iteration (batches trained since the start of the run).</summary>
    public long Iteration { get; private set; }

    /// <summary>Whether the optimizer stepped in the current batch (always, this engine does not accumulate).</summary>
    public bool OptimizerStepped { get; private set; }

    /// <summary>The model (null before set-up).</summary>
    public MlpClassifier? Model { get; private set; }

    /// <summary>Class names in label order (empty before set-up).</summary>
    public IReadOnlyList<string> ClassNames => _data?.ClassNames ?? (IReadOnlyList<string>)[];

    /// <summary>Metrics: <c>metrics/accuracy_top1</c>, <c>metrics/accuracy_top5</c>, <c>val/loss</c> (zeros from set-up; val/loss dropped after the final evaluation).</summary>
    public IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>Learning rate per parameter group (<c>lr/pg0</c> weights with decay, <c>lr/pg1</c> weights without, <c>lr/pg2</c> biases); empty until the first epoch ends.</summary>
    public IReadOnlyDictionary<string, double> Lr => _lr;

    /// <summary>Plots written by the trainer (absolute path → timestamp and data).</summary>
    public IReadOnlyDictionary<string, PlotRecord> Plots => _plots;

    /// <summary>The validator used every epoch and for the final evaluation.</summary>
    public Validator Validator { get; }

    /// <summary><c>weights/last.safetensors</c>.</summary>
    public string LastPath { get; }

    /// <summary><c>weights/best.safetensors</c> (may not exist).</summary>
    public string BestPath { get; }

    /// <summary>Fitness of the last validation (mean of top-1 and top-5), null before the first.</summary>
    public double? Fitness { get; private set; }

    /// <summary>Best fitness so far, null before the first validation.</summary>
    public double? BestFitness { get; private set; }

    /// <summary>How the run ended, or <see cref="RunStatus.Running"/>.</summary>
    public RunStatus Status { get; private set; } = RunStatus.Running;

    /// <summary>The exception that failed the run, if any.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Early-stopping state.</summary>
    public EarlyStopping Stopper => _stopper;

    /// <summary>Mean training loss of the current epoch, labelled <c>{prefix}/loss</c> and rounded to 5 decimals.</summary>
    /// <param name="prefix">Label prefix, <c>train</c> by default.</param>
    public IReadOnlyDictionary<string, double> LabelLossItems(string prefix = "train") =>
        new Dictionary<string, double>(StringComparer.Ordinal) { [$"{prefix}/loss"] = Math.Round(_lossCount > 0 ? _lossSum / _lossCount : 0, 5) };

    /// <summary><c>model/parameters</c>, <c>model/GFLOPs</c> (one forward pass of one sample), <c>model/speed(ms)</c> (validation inference per sample).</summary>
    public IReadOnlyDictionary<string, double> ModelInfoForLoggers() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["model/parameters"] = Model?.ParameterCount ?? 0,
        ["model/GFLOPs"] = Math.Round((Model?.FlopsPerSample ?? 0) / 1e9, 6),
        ["model/speed(ms)"] = Math.Round(Validator.SpeedMs, 3),
    };

    /// <summary>
    /// Runs the training. <c>on_train_end</c> and <c>teardown</c> run whatever happens; an exception
    /// is rethrown after them with <see cref="Status"/> = <see cref="RunStatus.Failed"/>.
    /// </summary>
    public void Train()
    {
        if (_started)
        {
            throw new InvalidOperationException("A Trainer runs once; create a new one for another run.");
        }

        _started = true;
        _out = Args.Verbose ? _options.Output : null;
        Directory.CreateDirectory(Path.Combine(SaveDir, "weights"));
        RunFiles.WriteAtomic(Path.Combine(SaveDir, "args.yaml"), RunFiles.ArgsYaml(_argsDictionary));
        if (_resumeFrom is not null)
        {
            Callbacks.RestoreState(_resumeFrom.Callbacks);
        }

        try
        {
            Callbacks.Raise(TrainerEvents.PretrainRoutineStart, this);
            Setup();
            Callbacks.Raise(TrainerEvents.PretrainRoutineEnd, this);
            Loop();
        }
        catch (Exception ex)
        {
            Status = RunStatus.Failed;
            Error = ex;
            throw;
        }
        finally
        {
            try
            {
                Callbacks.Raise(TrainerEvents.TrainEnd, this);
            }
            finally
            {
                Callbacks.Raise(TrainerEvents.Teardown, this);
            }
        }
    }

    private void Setup()
    {
        _out?.WriteLine($"Stepwise {typeof(Trainer).Assembly.GetName().Version?.ToString(3)} .NET {Environment.Version} CPU ({Validator.Threads(Args.Threads)} threads)");
        _out?.WriteLine("engine/trainer: " + string.Join(", ", _argsDictionary.Select(kv => $"{kv.Key}={TrainArgs.FormatValue(kv.Value)}")));
        _data = _options.Data ?? DatasetLoader.Load(Args.Data, Args.ImageSize, Args.Seed);
        if (_resumeFrom is not null)
        {
            Model = _resumeFrom.Model;
            if (!_resumeFrom.ClassNames.SequenceEqual(_data.ClassNames) || Model.InputCount != _data.FeatureCount)
            {
                throw new InvalidOperationException($"{Args.Model}: the checkpoint's classes or input size do not match dataset '{Args.Data}'.");
            }
        }
        else if (Args.Model is { } start)
        {
            // Start from pretrained weights (a fresh run, new optimizer).
            Model = Checkpoint.Load(start).Model;
        }
        else
        {
            Model = new MlpClassifier(_data.FeatureCount, Args.Hidden, _data.ClassNames.Count, Args.Dropout, Args.Seed);
        }

        WriteModelSummary();
        int count = _data.Train.Count;
        _trainIndices = Enumerable.Range(0, count).ToArray();
        if (Args.Fraction < 1)
        {
            new DeterministicRandom(DeterministicRandom.Derive(Args.Seed, -1)).Shuffle(_trainIndices);
            _trainIndices = [.. _trainIndices.Take(Math.Max(1, (int)Math.Round(count * Args.Fraction)))];
        }

        BatchCount = Math.Max(1, (_trainIndices.Length + Args.Batch - 1) / Args.Batch);
        string opt = Args.Optimizer.ToLowerInvariant();
        double lr0 = opt == "auto" ? 0.001 : Args.Lr0;
        double momentum = opt == "auto" ? 0.9 : Args.Momentum;
        _optimizer = opt == "sgd"
            ? new SgdOptimizer(Model.Slots, lr0, momentum, Args.WeightDecay, Args.Nesterov)
            : new AdamWOptimizer(Model.Slots, lr0, momentum, Args.WeightDecay);
        var groups = _optimizer.GroupCounts();
        _out?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"optimizer: {_optimizer.Name}(lr={lr0:0.######}, momentum={momentum}) with parameter groups {groups[0]} weight(decay={Args.WeightDecay}), {groups[1]} weight(decay=0.0), {groups[2]} bias(decay=0.0)"));
        _schedule = new LrSchedule(lr0, Args.Lrf, Args.Epochs, Args.CosLr, (int)Math.Round(Args.WarmupEpochs * BatchCount),
            momentum, Args.WarmupMomentum, Args.WarmupBiasLr);
        _metrics.Clear();
        _metrics["metrics/accuracy_top1"] = 0;
        _metrics["metrics/accuracy_top5"] = 0;
        _metrics["val/loss"] = 0;
        if (_resumeFrom is { } ck)
        {
            if (!string.Equals(ck.OptimizerName, _optimizer.Name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{Args.Model}: checkpoint optimizer {ck.OptimizerName} differs from {_optimizer.Name}.");
            }

            ck.RestoreOptimizer(_optimizer, Args.Model!);
            _stopper.Restore(ck.EarlyStopping);
            Fitness = ck.Fitness;
            BestFitness = ck.BestFitness;
            Iteration = ck.Iterations;
            _secondsBefore = ck.TrainSeconds;
            if (ck.PartialEpoch >= 0)
            {
                StartEpoch = ck.PartialEpoch;
                _resumeBatch = ck.NextBatch;
                _lossSum = ck.LossSum;
                _lossCount = ck.LossCount;
            }
            else
            {
                StartEpoch = ck.Epoch + 1;
            }

            _out?.WriteLine($"Resuming training from {Args.Model} from epoch {StartEpoch + 1} to {Epochs} total epochs");
        }

        _out?.WriteLine($"train: {_trainIndices.Length} samples, val: {_data.Val.Count} samples, {_data.ClassNames.Count} classes ({_data.Source})");
        _out?.WriteLine($"Logging results to {SaveDir}");
    }

    private void Loop()
    {
        var model = Model!;
        var optimizer = _optimizer!;
        var schedule = _schedule!;
        var split = _data!.Train;
        int features = split.FeatureCount;
        int batch = Args.Batch;
        int threads = Validator.Threads(Args.Threads);
        var x = new float[batch * features];
        var labels = new int[batch];
        var lastLr = new double[6];
        bool images = split.ImageWidth is not null;
        var progress = new ProgressLine(_out, _options.IsTerminal, Time);
        _trainStart = Time.GetTimestamp();
        Callbacks.Raise(TrainerEvents.TrainStart, this);
        _out?.WriteLine($"Starting training for {Epochs} epochs...");
        bool stop = false;
        for (int epoch = StartEpoch; epoch < Epochs && !stop; epoch++)
        {
            Epoch = epoch;
            Callbacks.Raise(TrainerEvents.TrainEpochStart, this);
            var order = (int[])_trainIndices.Clone();
            new DeterministicRandom(DeterministicRandom.Derive(Args.Seed, epoch, 1)).Shuffle(order);
            int firstBatch = 0;
            if (epoch == StartEpoch && _resumeBatch > 0)
            {
                firstBatch = _resumeBatch;
            }
            else
            {
                _lossSum = 0;
                _lossCount = 0;
            }

            _out?.WriteLine();
            _out?.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,11}{1,11}{2,11}{3,11}", "Epoch", "loss", "Instances", "Size"));
            progress.Restart();
            bool interrupted = false;
            for (int b = firstBatch; b < BatchCount; b++)
            {
                BatchIndex = b;
                OptimizerStepped = false;
                Callbacks.Raise(TrainerEvents.TrainBatchStart, this);
                schedule.Apply(optimizer, epoch, Iteration);
                if (ChangedLr(optimizer, lastLr))
                {
                    Callbacks.Raise(TrainerEvents.ParamsUpdate, this);
                }

                int start = b * batch;
                int n = Math.Min(batch, order.Length - start);
                for (int i = 0; i < n; i++)
                {
                    int idx = order[start + i];
                    Array.Copy(split.Features, (long)idx * features, x, (long)i * features, features);
                    labels[i] = split.Labels[idx];
                }

                var dropoutRng = model.DropoutRate > 0 ? new DeterministicRandom(DeterministicRandom.Derive(Args.Seed, epoch, 1000 + b)) : null;
                double loss = model.ForwardBackward(x, labels, n, dropoutRng, threads);
                if (!double.IsFinite(loss))
                {
                    throw new InvalidOperationException($"Training loss became {loss} at epoch {epoch + 1}, batch {b}; lower lr0.");
                }

                _lossSum += loss;
                _lossCount++;
                optimizer.Step();
                model.MarkParametersChanged();
                OptimizerStepped = true;
                Callbacks.Raise(TrainerEvents.OptimizerStep, this);
                // Gradients are overwritten by the next backward pass, so clearing them costs nothing.
                Callbacks.Raise(TrainerEvents.BeforeZeroGrad, this);
                Iteration++;
                progress.Update(string.Format(CultureInfo.InvariantCulture, "{0,11}{1,11}{2,11}{3,11}",
                    $"{epoch + 1}/{Epochs}", (_lossSum / _lossCount).ToString("G4", CultureInfo.InvariantCulture), n, Args.ImageSize), b + 1, BatchCount);
                Callbacks.Raise(TrainerEvents.BatchEnd, this);
                if (Args.Plots && images && Iteration <= 3)
                {
                    PlotTrainBatch(split, order, start, n, (int)(Iteration - 1));
                }

                Callbacks.Raise(TrainerEvents.TrainBatchEnd, this);
                if (_options.Cancellation.IsCancellationRequested)
                {
                    interrupted = b + 1 < BatchCount || epoch + 1 < Epochs;
                    if (interrupted)
                    {
                        _out?.WriteLine();
                        RequestStop("interrupted (Ctrl+C)");
                        SaveCheckpoint(LastPath, optimizer, partialEpoch: epoch, nextBatch: b + 1, finished: false);
                        Callbacks.Raise(TrainerEvents.ModelSave, this);
                        Status = RunStatus.StoppedByCallback;
                    }

                    break;
                }
            }

            if (interrupted)
            {
                return;
            }

            _resumeBatch = 0;
            _lr["lr/pg0"] = Math.Round(optimizer.GroupLr[0], 8);
            _lr["lr/pg1"] = Math.Round(optimizer.GroupLr[1], 8);
            _lr["lr/pg2"] = Math.Round(optimizer.GroupLr[2], 8);
            Callbacks.Raise(TrainerEvents.TrainEpochEnd, this);
            bool final = epoch + 1 >= Epochs;
            if (Args.Val || final || _stopper.PossibleStop || StopRequested)
            {
                Validator.Evaluate(model, _data.Val, _data.ClassNames, batch * 2, threads, training: true, Args.Plots && final, _out, _options.IsTerminal, SaveDir);
                foreach (var (k, v) in Validator.Metrics)
                {
                    _metrics[k] = v;
                }

                Fitness = Validator.Fitness;
                if (BestFitness is null || BestFitness < Fitness)
                {
                    BestFitness = Fitness;
                }
            }

            bool early = _stopper.Update(epoch, Fitness);
            if (StopRequested)
            {
                Status = RunStatus.StoppedByCallback;
                stop = true;
            }
            else if (early && !final)
            {
                Status = RunStatus.EarlyStopped;
                stop = true;
                _out?.WriteLine($"Stopping training early as no improvement observed in last {_stopper.Patience} epochs. Best results observed at epoch {_stopper.BestEpoch + 1}.");
            }

            stop |= final;
            AppendResults(epoch);
            if (Args.Save || final)
            {
                SaveCheckpoint(LastPath, optimizer, -1, 0, finished: false);
                if (Fitness is not null && BestFitness == Fitness)
                {
                    File.Copy(LastPath, BestPath, overwrite: true);
                }

                if (Args.SavePeriod > 0 && (epoch + 1) % Args.SavePeriod == 0)
                {
                    File.Copy(LastPath, Path.Combine(SaveDir, "weights", $"epoch{epoch + 1}.safetensors"), overwrite: true);
                }

                Callbacks.Raise(TrainerEvents.ModelSave, this);
            }

            Callbacks.Raise(TrainerEvents.FitEpochEnd, this);
            if (StopRequested && !stop)
            {
                // A stop asked for in on_fit_epoch_end takes effect now, as the reference's trainer.stop does.
                Status = RunStatus.StoppedByCallback;
                stop = true;
            }

            if (Args.Save || final)
            {
                // Loggers advance their step in on_fit_epoch_end, after on_model_save: rewrite last so the
                // callback state it carries includes this epoch and a resumed run continues after it.
                SaveCheckpoint(LastPath, optimizer, -1, 0, finished: false);
            }
        }

        if (Status == RunStatus.Running)
        {
            Status = RunStatus.Completed;
        }

        double hours = (_secondsBefore + Time.GetElapsedTime(_trainStart).TotalSeconds) / 3600;
        _out?.WriteLine();
        _out?.WriteLine($"{Epoch - StartEpoch + 1} epochs completed in {hours.ToString("0.000", CultureInfo.InvariantCulture)} hours.");
        bool finished = Status is RunStatus.Completed or RunStatus.EarlyStopped;
        if (finished && File.Exists(LastPath))
        {
            // A finished run's checkpoints drop the optimizer state (as the reference strips it) and refuse resume.
            SaveCheckpoint(LastPath, null, -1, 0, finished: true);
        }

        FinalEvaluation(threads, finished);
        if (Args.Plots)
        {
            PlotResults();
        }

        _out?.WriteLine($"Results saved to {SaveDir}");
        if (BestFitness is not null)
        {
            _out?.WriteLine($"Best: epoch {_stopper.BestEpoch + 1}, fitness {BestFitness.Value.ToString("0.#####", CultureInfo.InvariantCulture)}, " +
                string.Join(", ", _metrics.Select(kv => $"{kv.Key}={kv.Value.ToString("0.#####", CultureInfo.InvariantCulture)}")));
        }
    }

    private void FinalEvaluation(int threads, bool strip)
    {
        if (!File.Exists(BestPath))
        {
            return;
        }

        var best = Checkpoint.Load(BestPath);
        if (strip)
        {
            var stripped = new Checkpoint
            {
                Model = best.Model,
                ClassNames = best.ClassNames,
                Input = best.Input,
                Args = best.Args,
                Epoch = best.Epoch,
                Epochs = best.Epochs,
                Fitness = best.Fitness,
                BestFitness = best.BestFitness,
                Finished = true,
                OptimizerName = best.OptimizerName,
                OptimizerSteps = best.OptimizerSteps,
                Iterations = best.Iterations,
                TrainSeconds = best.TrainSeconds,
                EarlyStopping = best.EarlyStopping,
                Callbacks = best.Callbacks,
                Date = best.Date,
            };
            stripped.Save(BestPath, null);
        }

        _out?.WriteLine();
        _out?.WriteLine($"Validating {BestPath}...");
        Validator.Evaluate(best.Model, _data!.Val, _data.ClassNames, Args.Batch * 2, threads, training: false, Args.Plots, _out, _options.IsTerminal, SaveDir);
        _metrics.Clear();
        foreach (var (k, v) in Validator.Metrics)
        {
            if (!k.StartsWith("val/", StringComparison.Ordinal))
            {
                _metrics[k] = v;
            }
        }

        _out?.WriteLine($"Speed: {Validator.SpeedMs.ToString("0.000", CultureInfo.InvariantCulture)}ms inference per image");
        Callbacks.Raise(TrainerEvents.FinalEvalEnd, this);
    }

    private static bool ChangedLr(Optimizer optimizer, double[] last)
    {
        bool changed = false;
        for (int g = 0; g < 3; g++)
        {
            changed |= optimizer.GroupLr[g] != last[g] || optimizer.GroupMomentum[g] != last[3 + g];
            last[g] = optimizer.GroupLr[g];
            last[3 + g] = optimizer.GroupMomentum[g];
        }

        return changed;
    }

    private void SaveCheckpoint(string path, Optimizer? optimizer, int partialEpoch, int nextBatch, bool finished)
    {
        var checkpoint = new Checkpoint
        {
            Model = Model!,
            ClassNames = ClassNames,
            Input = _data is null ? null : ModelInput.FromData(_data),
            Args = Args.ToDictionary(),
            Epoch = partialEpoch >= 0 ? partialEpoch - 1 : Epoch,
            PartialEpoch = partialEpoch,
            NextBatch = nextBatch,
            Epochs = Epochs,
            Fitness = Fitness,
            BestFitness = BestFitness,
            Finished = finished,
            OptimizerName = _optimizer!.Name,
            OptimizerSteps = _optimizer.Steps,
            Iterations = Iteration,
            LossSum = _lossSum,
            LossCount = _lossCount,
            TrainSeconds = _secondsBefore + Time.GetElapsedTime(_trainStart).TotalSeconds,
            EarlyStopping = _stopper.Save(),
            Callbacks = Callbacks.SaveState(),
            Date = Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
        checkpoint.Save(path, optimizer);
    }

    private void AppendResults(int epoch)
    {
        string path = Path.Combine(SaveDir, "results.csv");
        var sb = new StringBuilder();
        if (!File.Exists(path))
        {
            sb.Append(string.Join(',', ResultColumns)).Append('\n');
        }

        double seconds = Math.Round(_secondsBefore + Time.GetElapsedTime(_trainStart).TotalSeconds, 6);
        var loss = LabelLossItems();
        double[] values =
        [
            epoch + 1, seconds, loss["train/loss"],
            _metrics["metrics/accuracy_top1"], _metrics["metrics/accuracy_top5"], _metrics["val/loss"],
            _lr["lr/pg0"], _lr["lr/pg1"], _lr["lr/pg2"],
        ];
        sb.Append(string.Join(',', values.Select(RunFiles.G6))).Append('\n');
        File.AppendAllText(path, sb.ToString());
    }

    private void PlotResults()
    {
        string csv = Path.Combine(SaveDir, "results.csv");
        if (!File.Exists(csv))
        {
            return;
        }

        var lines = File.ReadAllLines(csv).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var x = rows.Select(r => r[0]).ToList();
        var series = new List<(string Name, IReadOnlyList<double> Values)>();
        for (int c = 2; c < header.Length; c++)
        {
            int col = c;
            series.Add((header[c], rows.Select(r => r[col]).ToList()));
        }

        string path = Path.Combine(SaveDir, "results.png");
        Png.Save(Charts.Results(series, x), path);
        _plots[path] = new PlotRecord(Time.GetUtcNow(), null);
    }

    private void PlotTrainBatch(DataSplit split, int[] order, int start, int n, int index)
    {
        int tiles = Math.Min(n, 16);
        var images = new List<RasterImage>(tiles);
        var names = new List<string>(tiles);
        for (int i = 0; i < tiles; i++)
        {
            int idx = order[start + i];
            images.Add(split.ImageAt(idx));
            names.Add(ClassNames[split.Labels[idx]]);
        }

        string path = Path.Combine(SaveDir, $"train_batch{index}.png");
        Png.Save(Charts.Mosaic(images, names, 4, 3), path);
        _plots[path] = new PlotRecord(Time.GetUtcNow(), null);
    }

    private void WriteModelSummary()
    {
        if (_out is null)
        {
            return;
        }

        var model = Model!;
        _out.WriteLine();
        _out.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,3}{1,20}{2,3}{3,10}  {4,-45}{5,-30}", string.Empty, "from", "n", "params", "module", "arguments").TrimEnd());
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var l = model.Layers[i];
            string arguments = l.Kind == "Linear" ? $"[{l.InputShape[0]}, {l.OutputShape[0]}]" : $"[{l.OutputShape[0]}]";
            _out.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,3}{1,20}{2,3}{3,10}  {4,-45}{5,-30}", i, -1, 1, l.Parameters, l.Kind, arguments).TrimEnd());
        }

        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MLP summary: {model.Layers.Count} layers, {model.ParameterCount:N0} parameters, {model.ParameterCount:N0} gradients, {model.FlopsPerSample / 1e9:0.######} GFLOPs"));
        _out.WriteLine();
    }
}
