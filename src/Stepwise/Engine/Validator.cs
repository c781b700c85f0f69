using System.Globalization;
using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Imaging;
using Stepwise.Settings;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>
/// Evaluates a model on a validation split and raises the validator events (see ValidatorEvents):
/// top-1/top-5 accuracy, loss, confusion matrix and sample mosaics. Used by the trainer every epoch
/// and standalone (<c>stepwise val</c>).
/// </summary>
public sealed class Validator : EngineBase
{
    private const int MosaicTiles = 16;
    private readonly Dictionary<string, PlotRecord> _plots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private readonly List<int> _true = [];
    private readonly List<int> _pred = [];

    /// <summary>Creates the engine.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Validator(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(callbacks, logger, timeProvider)
    {
    }

    /// <summary>True when the trainer runs this validation (in-training or final evaluation is false).</summary>
    public bool Training { get; private set; }

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; private set; } = [];

    /// <summary><c>metrics/accuracy_top1</c>, <c>metrics/accuracy_top5</c>, <c>val/loss</c> of the last validation (rounded to 5 decimals).</summary>
    public IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>Fitness of the last validation: mean of top-1 and top-5 accuracy, as the reference's classifier.</summary>
    public double? Fitness { get; private set; }

    /// <summary>Plots this validator wrote (absolute path → timestamp and data).</summary>
    public IReadOnlyDictionary<string, PlotRecord> Plots => _plots;

    /// <summary>Confusion matrix of the last validation (rows true, columns predicted).</summary>
    public ConfusionMatrix? ConfusionMatrix { get; private set; }

    /// <summary>True labels of the last validation, one per sample.</summary>
    public IReadOnlyList<int> TrueLabels => _true;

    /// <summary>Predicted labels of the last validation, one per sample.</summary>
    public IReadOnlyList<int> PredictedLabels => _pred;

    /// <summary>Samples evaluated so far in the current validation (null before the first batch).</summary>
    public int? Seen { get; private set; }

    /// <summary>Index of the current batch.</summary>
    public int BatchIndex { get; private set; }

    /// <summary>Number of batches of the current validation.</summary>
    public int BatchCount { get; private set; }

    /// <summary>Inference time per sample in milliseconds, of the last validation.</summary>
    public double SpeedMs { get; private set; }

    /// <summary>Standalone validation (<c>stepwise val</c>): loads the checkpoint in <c>model</c>, evaluates it on <c>data</c> (default: the data it was trained on), writes plots to a new run directory.</summary>
    /// <param name="overrides">key=value arguments (<c>model</c> is required).</param>
    /// <param name="settings">Resolved settings (runs_dir); defaults when null.</param>
    /// <param name="output">Console output, or null.</param>
    /// <param name="isTerminal">Redraw progress in place.</param>
    /// <returns>The metrics, with <c>fitness</c>.</returns>
    public IReadOnlyDictionary<string, double> Run(IReadOnlyDictionary<string, string> overrides, StepwiseSettings? settings = null, TextWriter? output = null, bool isTerminal = false)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var ignore = SettingsSchema.Keys.Select(k => k.Key);
        var first = TrainArgs.Parse(overrides, ignore);
        string modelPath = first.Model ?? throw new ArgumentException("Argument model=<checkpoint .safetensors or exported .onnx> is required for validation.");
        var model = EvaluationModel.Load(modelPath);
        var stored = new Dictionary<string, object?>(model.Args, StringComparer.Ordinal);
        foreach (var key in new[] { "name", "exist_ok", "project", "resume", "model", "mode" })
        {
            stored.Remove(key);
        }

        var args = TrainArgs.FromValues(stored, overrides, ignore).With(("mode", "val"));
        var data = DatasetLoader.Load(args.Data, args.ImageSize, args.Seed);
        if (data.FeatureCount != model.InputCount || data.ClassNames.Count != model.ClassCount)
        {
            throw new ArgumentException($"{modelPath}: the model takes {model.InputCount} features and {model.ClassCount} classes; dataset '{args.Data}' has {data.FeatureCount} features and {data.ClassNames.Count} classes.");
        }

        string project = args.Project ?? Path.Combine(settings?.RunsDir ?? "runs", args.Task);
        SaveDir = Path.GetFullPath(RunFiles.IncrementPath(project, args.Name ?? "val", args.ExistOk));
        Directory.CreateDirectory(SaveDir);
        output?.WriteLine($"Validating {modelPath}...");
        Evaluate(model.Evaluate, data.Val, data.ClassNames, args.Batch * 2, Threads(args.Threads), training: false, args.Plots, output, isTerminal);
        output?.WriteLine($"Speed: {SpeedMs.ToString("0.000", CultureInfo.InvariantCulture)}ms inference per image");
        output?.WriteLine($"Results saved to {SaveDir}");
        var result = new Dictionary<string, double>(_metrics, StringComparer.Ordinal) { ["fitness"] = Fitness ?? 0 };
        return result;
    }

    internal static int Threads(int requested) => requested <= 0 ? Environment.ProcessorCount : requested;

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="split"/>, raising the validator events.</summary>
    internal void Evaluate(MlpClassifier model, DataSplit split, IReadOnlyList<string> classNames, int batch, int threads,
        bool training, bool plots, TextWriter? output, bool isTerminal, string? saveDir = null) =>
        Evaluate(model.Evaluate, split, classNames, batch, threads, training, plots, output, isTerminal, saveDir);

    /// <summary>Evaluates with <paramref name="run"/> (x, labels, n, probabilities, threads → summed loss) on <paramref name="split"/>, raising the validator events.</summary>
    internal void Evaluate(Func<float[], int[], int, float[], int, double> run, DataSplit split, IReadOnlyList<string> classNames, int batch, int threads,
        bool training, bool plots, TextWriter? output, bool isTerminal, string? saveDir = null)
    {
        if (saveDir is not null)
        {
            SaveDir = saveDir;
        }

        Training = training;
        ClassNames = classNames;
        Seen = null;
        _true.Clear();
        _pred.Clear();
        var matrix = new ConfusionMatrix(classNames);
        ConfusionMatrix = matrix;
        int count = split.Count;
        int features = split.FeatureCount;
        int classes = classNames.Count;
        int nb = Math.Max(1, (count + batch - 1) / batch);
        BatchCount = nb;
        BatchIndex = 0;
        var x = new float[batch * features];
        var labels = new int[batch];
        var probs = new float[batch * classes];
        double lossSum = 0;
        int top1 = 0, top5 = 0;
        long inferenceTicks = 0;
        int k = Math.Min(5, classes);
        bool images = split.ImageWidth is not null;
        var progress = new ProgressLine(output, isTerminal, Time);
        string prefix = string.Format(CultureInfo.InvariantCulture, "{0,22}{1,11}{2,11}", "classes", "top1_acc", "top5_acc");
        Callbacks.Raise(ValidatorEvents.ValStart, this);
        for (int b = 0; b < nb; b++)
        {
            BatchIndex = b;
            Seen ??= 0;
            Callbacks.Raise(ValidatorEvents.ValBatchStart, this);
            int start = b * batch;
            int n = Math.Min(batch, count - start);
            if (n > 0)
            {
                Array.Copy(split.Features, (long)start * features, x, 0, (long)n * features);
                Array.Copy(split.Labels, start, labels, 0, n);
                long t0 = Time.GetTimestamp();
                lossSum += run(x, labels, n, probs, threads);
                inferenceTicks += Time.GetTimestamp() - t0;
                var predicted = new int[n];
                for (int i = 0; i < n; i++)
                {
                    var row = probs.AsSpan(i * classes, classes);
                    int best = 0;
                    int rank = 0;
                    float pTrue = row[labels[i]];
                    for (int c = 0; c < classes; c++)
                    {
                        if (row[c] > row[best])
                        {
                            best = c;
                        }

                        // Ties go to the lower class index, as a stable sort would.
                        if (row[c] > pTrue || (row[c] == pTrue && c < labels[i]))
                        {
                            rank++;
                        }
                    }

                    predicted[i] = best;
                    top1 += best == labels[i] ? 1 : 0;
                    top5 += rank < k ? 1 : 0;
                    matrix.Add(labels[i], best);
                    _true.Add(labels[i]);
                    _pred.Add(best);
                }

                Seen += n;
                if (plots && images && b < 3 && SaveDir.Length > 0)
                {
                    WriteBatchMosaics(split, start, n, predicted, probs, classes, b);
                }
            }

            progress.Update(prefix, b + 1, nb);
            Callbacks.Raise(ValidatorEvents.ValBatchEnd, this);
        }

        int seen = Math.Max(1, Seen ?? 0);
        double acc1 = (double)top1 / seen;
        double acc5 = (double)top5 / seen;
        _metrics.Clear();
        _metrics["metrics/accuracy_top1"] = Math.Round(acc1, 5);
        _metrics["metrics/accuracy_top5"] = Math.Round(acc5, 5);
        _metrics["val/loss"] = Math.Round(lossSum / seen, 5);
        Fitness = (acc1 + acc5) / 2;
        SpeedMs = inferenceTicks * 1000.0 / Time.TimestampFrequency / seen;
        if (plots && SaveDir.Length > 0)
        {
            WriteConfusionMatrices(matrix);
        }

        output?.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,22}{1,11}{2,11}", "all", G3(acc1), G3(acc5)));
        Callbacks.Raise(ValidatorEvents.ValEnd, this);
    }

    internal static string G3(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    private void WriteBatchMosaics(DataSplit split, int start, int n, int[] predicted, float[] probs, int classes, int b)
    {
        int tiles = Math.Min(n, MosaicTiles);
        var images = new List<RasterImage>(tiles);
        var truth = new List<string>(tiles);
        var preds = new List<string>(tiles);
        for (int i = 0; i < tiles; i++)
        {
            images.Add(split.ImageAt(start + i));
            truth.Add(ClassNames[split.Labels[start + i]]);
            preds.Add($"{ClassNames[predicted[i]]} {probs[(i * classes) + predicted[i]].ToString("0.00", CultureInfo.InvariantCulture)}");
        }

        SavePlot($"val_batch{b}_labels.png", Charts.Mosaic(images, truth, 4, 3), null);
        SavePlot($"val_batch{b}_pred.png", Charts.Mosaic(images, preds, 4, 3), null);
    }

    private void WriteConfusionMatrices(ConfusionMatrix matrix)
    {
        SavePlot("confusion_matrix.png", Charts.ConfusionMatrix(matrix.Counts, matrix.ClassNames, normalize: false), null);
        var normalized = matrix.Normalized();
        int n = matrix.ClassNames.Count;
        var rows = new double[n][];
        for (int r = 0; r < n; r++)
        {
            rows[r] = new double[n];
            for (int c = 0; c < n; c++)
            {
                rows[r][c] = normalized[r, c];
            }
        }

        var data = new PlotData("confusion_matrix", new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["matrix"] = rows,
            ["names"] = matrix.ClassNames,
        });
        SavePlot("confusion_matrix_normalized.png", Charts.ConfusionMatrix(matrix.Counts, matrix.ClassNames, normalize: true), data);
    }

    private void SavePlot(string fileName, RasterImage image, PlotData? data)
    {
        string path = Path.Combine(SaveDir, fileName);
        Png.Save(image, path);
        _plots[path] = new PlotRecord(Time.GetUtcNow(), data);
    }
}
