using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Imaging;
using Stepwise.Settings;

namespace Stepwise.Engine;

/// <summary>
/// Runs a model on new inputs and raises the predictor events (see <see cref="PredictorEvents"/>):
/// <c>on_predict_start</c> on the first step of the enumeration, then per batch
/// <c>on_predict_batch_start</c>, <c>on_predict_postprocess_end</c> (handlers may replace
/// <see cref="Results"/>), <c>on_predict_batch_end</c>, and <c>on_predict_end</c> when the enumeration
/// finishes, is stopped by a handler, or is disposed early by the caller. The engine's properties
/// describe the current stream, so one instance runs one stream at a time.
/// </summary>
public sealed class Predictor : EngineBase
{
    private const int AnnotateMinSide = 160;
    private static readonly Rgb LabelBackground = new(20, 20, 20);

    private readonly List<SkippedSource> _skipped = [];
    private readonly HashSet<string> _writtenNames = new(StringComparer.OrdinalIgnoreCase);
    private double _preMs;
    private double _inferMs;
    private double _postMs;
    private int _labelsWritten;

    /// <summary>Creates the engine.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Predictor(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(callbacks, logger, timeProvider)
    {
    }

    /// <summary>The model being run (null before the first prediction).</summary>
    public EvaluationModel? Model { get; private set; }

    /// <summary>The source being read.</summary>
    public PredictionSource? Source { get; private set; }

    /// <summary>The options of the current prediction.</summary>
    public PredictOptions Options { get; private set; } = new();

    /// <summary>The current batch (null before the first).</summary>
    public PredictionBatch? Batch { get; private set; }

    /// <summary>
    /// Results of the current batch, filled before <c>on_predict_postprocess_end</c>. A handler may
    /// assign another list (filtered, reordered, changed with <c>with</c>): what it holds after
    /// <c>on_predict_batch_end</c> is what is written and handed to the caller.
    /// </summary>
    public IReadOnlyList<PredictionResult> Results { get; set; } = [];

    /// <summary>Inputs run through the model so far (skipped files not counted).</summary>
    public int Seen { get; private set; }

    /// <summary>Results handed to the caller so far.</summary>
    public int Delivered { get; private set; }

    /// <summary>Inputs in the source, counting unreadable ones.</summary>
    public int Total { get; private set; }

    /// <summary>True when every input was processed (false after an early stop or dispose).</summary>
    public bool Completed { get; private set; }

    /// <summary>Inputs that could not be read, with the reason.</summary>
    public IReadOnlyList<SkippedSource> Skipped => _skipped;

    /// <summary>Mean time per input so far.</summary>
    public PredictionSpeed Speed => Seen == 0 ? new PredictionSpeed(0, 0, 0) : new PredictionSpeed(_preMs / Seen, _inferMs / Seen, _postMs / Seen);

    /// <summary>
    /// Predicts lazily: nothing runs until the first <c>MoveNext</c>. Model/source mismatches (a CSV
    /// whose columns differ from the model's, a missing path) throw here, before any event.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="source">The inputs.</param>
    /// <param name="options">Batch size, saving, output; defaults when null.</param>
    /// <returns>One result per readable input, in source order (unless a handler replaces them).</returns>
    /// <exception cref="PredictionSourceException">The source is missing, empty or does not fit the model.</exception>
    public IEnumerable<PredictionResult> Stream(EvaluationModel model, PredictionSource source, PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new PredictOptions();
        options.Validate();
        var inputs = source.Resolve(model.Input);
        return Iterate(model, source, options, inputs);
    }

    /// <summary>As <see cref="Stream"/>, with each step run on the thread pool; cancelling or disposing still raises <c>on_predict_end</c>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="source">The inputs.</param>
    /// <param name="options">Batch size, saving, output; defaults when null.</param>
    /// <param name="cancellationToken">Stops the enumeration between results.</param>
    /// <returns>The results.</returns>
    public async IAsyncEnumerable<PredictionResult> StreamAsync(EvaluationModel model, PredictionSource source, PredictOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var enumerator = Stream(model, source, options).GetEnumerator();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await Task.Run(enumerator.MoveNext, cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            yield return enumerator.Current;
        }
    }

    /// <summary>Predicts every input and returns the results as a list.</summary>
    /// <param name="model">The model.</param>
    /// <param name="source">The inputs.</param>
    /// <param name="options">Batch size, saving, output; defaults when null.</param>
    /// <returns>The results.</returns>
    public IReadOnlyList<PredictionResult> Predict(EvaluationModel model, PredictionSource source, PredictOptions? options = null) =>
        [.. Stream(model, source, options)];

    /// <summary>
    /// <c>stepwise predict</c>: loads <c>model</c>, predicts on <c>source</c> and prints a line per input.
    /// Keys: model, source, batch, save, save_txt, project, name, exist_ok, verbose, threads; settings keys are ignored.
    /// </summary>
    /// <param name="overrides">key=value arguments.</param>
    /// <param name="settings">Resolved settings (runs_dir); defaults when null.</param>
    /// <param name="output">Console output, or null.</param>
    /// <returns>Number of results.</returns>
    /// <exception cref="ArgumentException">Unknown key or bad value (message starts with "Unknown argument" or "Argument ").</exception>
    public int Run(IReadOnlyDictionary<string, string> overrides, StepwiseSettings? settings = null, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var keys = new[] { "model", "source", "batch", "save", "save_txt", "project", "name", "exist_ok", "verbose", "threads", "workers", "task", "mode" };
        var ignore = SettingsSchema.Keys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (raw, value) in overrides)
        {
            string key = raw.Trim().ToLowerInvariant().Replace('-', '_');
            if (ignore.Contains(key))
            {
                continue;
            }

            if (!keys.Contains(key))
            {
                var close = keys.Where(k => TrainArgs.Distance(k, key) <= 2).ToList();
                throw new ArgumentException($"Unknown argument '{raw}'.{(close.Count > 0 ? $" Did you mean {string.Join(" or ", close)}?" : string.Empty)}");
            }

            values[key == "workers" ? "threads" : key] = value;
        }

        string modelPath = values.GetValueOrDefault("model") ?? throw new ArgumentException("Argument model=<weights .safetensors or .onnx> is required for prediction.");
        string sourcePath = values.GetValueOrDefault("source") ?? throw new ArgumentException("Argument source=<image, folder, glob or .csv> is required for prediction.");
        var options = new PredictOptions
        {
            Batch = IntArg(values, "batch", 1, 1),
            Save = BoolArg(values, "save", false),
            SaveTxt = BoolArg(values, "save_txt", false),
            Project = values.GetValueOrDefault("project") ?? Path.Combine(settings?.RunsDir ?? "runs", "classify"),
            Name = values.GetValueOrDefault("name") ?? "predict",
            ExistOk = BoolArg(values, "exist_ok", false),
            Verbose = BoolArg(values, "verbose", true),
            Threads = IntArg(values, "threads", 0, 0),
            Output = output,
        };
        var model = EvaluationModel.Load(modelPath);
        int count = 0;
        foreach (var _ in Stream(model, PredictionSource.FromPath(sourcePath), options))
        {
            count++;
        }

        return count;
    }

    private static int IntArg(Dictionary<string, string> values, string key, int fallback, int min)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min
            ? v
            : throw new ArgumentException($"Argument {key}='{text}' must be an integer of at least {min}.");
    }

    private static bool BoolArg(Dictionary<string, string> values, string key, bool fallback)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new ArgumentException($"Argument {key}='{text}' must be true or false."),
        };
    }

    private IEnumerable<PredictionResult> Iterate(EvaluationModel model, PredictionSource source, PredictOptions options, List<PendingInput> inputs)
    {
        Model = model;
        Source = source;
        Options = options;
        Total = inputs.Count;
        Batch = null;
        Results = [];
        Seen = 0;
        Delivered = 0;
        Completed = false;
        _skipped.Clear();
        _writtenNames.Clear();
        _labelsWritten = 0;
        _preMs = _inferMs = _postMs = 0;
        SaveDir = options.Save || options.SaveTxt
            ? Path.GetFullPath(RunFiles.IncrementPath(options.Project ?? Path.Combine("runs", "classify"), options.Name, options.ExistOk))
            : string.Empty;
        if (SaveDir.Length > 0)
        {
            Directory.CreateDirectory(SaveDir);
        }

        var output = options.Verbose ? options.Output : null;
        int threads = Validator.Threads(options.Threads);
        int features = model.InputCount;
        int classes = model.ClassCount;
        var probabilities = new float[options.Batch * classes];
        bool started = false;
        try
        {
            Callbacks.Raise(PredictorEvents.PredictStart, this);
            started = true;
            int next = 0;
            int batchIndex = 0;
            while (next < inputs.Count && !StopRequested)
            {
                long t0 = Time.GetTimestamp();
                var items = new List<(PendingInput Input, RasterImage? Image)>(options.Batch);
                while (items.Count < options.Batch && next < inputs.Count)
                {
                    var pending = inputs[next++];
                    if (pending.File is null)
                    {
                        items.Add((pending, pending.Image));
                    }
                    else if (TryRead(pending, output) is { } image)
                    {
                        items.Add((pending, image));
                    }
                }

                if (items.Count == 0)
                {
                    break;
                }

                long decodeTicks = Time.GetTimestamp() - t0;
                int n = items.Count;
                var x = new float[n * features];
                Batch = new PredictionBatch(batchIndex, [.. items.Select(i => i.Input.Source)], [.. items.Select(i => i.Input.Index)],
                    [.. items.Select(i => i.Image)], x, features);
                Results = [];
                Callbacks.Raise(PredictorEvents.PredictBatchStart, this);

                long t1 = Time.GetTimestamp();
                for (int i = 0; i < n; i++)
                {
                    var (input, image) = items[i];
                    var row = x.AsSpan(i * features, features);
                    if (input.Features is not null)
                    {
                        input.Features.CopyTo(row);
                    }
                    else
                    {
                        ToFeatures(image!, model.Input, row);
                    }
                }

                long t2 = Time.GetTimestamp();
                model.Predict(x, n, probabilities, threads);
                long t3 = Time.GetTimestamp();
                double pre = Ms(decodeTicks + (t2 - t1)) / n;
                double infer = Ms(t3 - t2) / n;
                var results = new List<PredictionResult>(n);
                for (int i = 0; i < n; i++)
                {
                    results.Add(BuildResult(items[i].Input, items[i].Image, probabilities.AsSpan(i * classes, classes), model.ClassNames, pre, infer));
                }

                double post = Ms(Time.GetTimestamp() - t3) / n;
                for (int i = 0; i < results.Count; i++)
                {
                    results[i] = results[i] with { Speed = results[i].Speed with { PostprocessMs = post } };
                }

                _preMs += pre * n;
                _inferMs += infer * n;
                _postMs += post * n;
                Results = results;
                Callbacks.Raise(PredictorEvents.PredictPostprocessEnd, this);

                var final = Results;
                foreach (var result in final)
                {
                    Write(result, output);
                }

                Seen += n;
                Callbacks.Raise(PredictorEvents.PredictBatchEnd, this);
                final = Results;
                foreach (var result in final)
                {
                    Delivered++;
                    yield return result;
                }

                batchIndex++;
            }

            Completed = next >= inputs.Count;
        }
        finally
        {
            if (started)
            {
                WriteSummary(options.Output, options.Verbose);
                Callbacks.Raise(PredictorEvents.PredictEnd, this);
            }
        }
    }

    /// <summary>Gray (BT.601 luma), resized to the model's size (area average when shrinking, bilinear when growing), scaled to 0..1.</summary>
    internal static void ToFeatures(RasterImage image, ModelInput input, Span<float> row)
    {
        var gray = image.ToGray();
        if (gray.Width != input.Width || gray.Height != input.Height)
        {
            gray = gray.Resize(input.Width, input.Height);
        }

        for (int p = 0; p < row.Length; p++)
        {
            row[p] = gray.Pixels[p] / 255f;
        }
    }

    private static PredictionResult BuildResult(PendingInput input, RasterImage? image, ReadOnlySpan<float> probs, IReadOnlyList<string> names, double pre, double infer)
    {
        var order = Enumerable.Range(0, probs.Length).ToArray();
        var copy = probs.ToArray();
        // Stable descending order: ties keep the lower class index first.
        Array.Sort(order, (a, b) => copy[b].CompareTo(copy[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var top = order.Take(Math.Min(5, probs.Length)).Select(i => new ClassScore(i, names[i], copy[i])).ToList();
        return new PredictionResult
        {
            Source = input.Source,
            Index = input.Index,
            Names = names,
            Probabilities = copy,
            Top5 = top,
            Speed = new PredictionSpeed(pre, infer, 0),
            Image = image,
        };
    }

    private RasterImage? TryRead(PendingInput input, TextWriter? output)
    {
        string file = input.File!;
        string? reason = null;
        if (!file.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && PredictionSource.ImageExtensions.Contains(Path.GetExtension(file).ToLowerInvariant()))
        {
            reason = $"{Path.GetExtension(file)} images are not supported (PNG only)";
        }
        else
        {
            try
            {
                return Png.Load(file);
            }
            catch (PngFormatException ex)
            {
                reason = ex.Message;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                reason = $"cannot be read: {ex.Message}";
            }
        }

        _skipped.Add(new SkippedSource(file, reason));
        Logger.LogWarning("Skipping {Path}: {Reason}", file, reason);
        (output ?? Options.Output)?.WriteLine($"WARNING skipping {file}: {reason}");
        return null;
    }

    private void Write(PredictionResult result, TextWriter? output)
    {
        if (output is not null)
        {
            string kind = result.Image is null ? (Model!.Input.Kind == ModelInputKind.Tabular ? "row" : "array") : "image";
            string size = result.Image is { } img ? $" {img.Width}x{img.Height}" : string.Empty;
            string top = string.Join(", ", result.Top5.Select(s => $"{s.Name} {s.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind} {result.Index + 1}/{Total} {result.Source}:{size} {top}, {result.Speed.InferenceMs:0.0}ms"));
        }

        if (SaveDir.Length == 0)
        {
            return;
        }

        string stem = UniqueStem(result);
        if (Options.Save && result.Image is not null)
        {
            Png.Save(Annotate(result.Image, result.Top5), Path.Combine(SaveDir, stem + ".png"));
        }

        if (Options.SaveTxt)
        {
            string labels = Path.Combine(SaveDir, "labels");
            Directory.CreateDirectory(labels);
            var sb = new StringBuilder();
            foreach (var s in result.Top5)
            {
                sb.Append(s.Confidence.ToString("0.00", CultureInfo.InvariantCulture)).Append(' ').Append(s.Name).Append('\n');
            }

            RunFiles.WriteAtomic(Path.Combine(labels, stem + ".txt"), sb.ToString());
            _labelsWritten++;
        }
    }

    /// <summary>File name (without extension) for an input's outputs; a repeated name gets <c>_2</c>, <c>_3</c> ….</summary>
    private string UniqueStem(PredictionResult result)
    {
        string source = result.Source;
        string stem;
        if (File.Exists(source))
        {
            stem = Path.GetFileNameWithoutExtension(source);
        }
        else
        {
            var sb = new StringBuilder();
            foreach (char c in Path.GetFileName(source.Replace(".csv:", "_", StringComparison.OrdinalIgnoreCase)))
            {
                sb.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
            }

            stem = sb.ToString().Trim('_');
        }

        string candidate = stem;
        for (int n = 2; !_writtenNames.Add(candidate); n++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{stem}_{n}");
        }

        return candidate;
    }

    /// <summary>The image, enlarged by a whole factor until its longer side is at least 160 px, with the top classes written top-left.</summary>
    internal static RasterImage Annotate(RasterImage image, IReadOnlyList<ClassScore> top)
    {
        int scale = Math.Clamp((int)Math.Ceiling((double)AnnotateMinSide / Math.Max(image.Width, image.Height)), 1, 16);
        var canvas = new Canvas(image.Width * scale, image.Height * scale, Rgb.Black);
        canvas.DrawImage(image, 0, 0, scale);
        int fontScale = canvas.Width >= 480 ? 2 : 1;
        int lineHeight = (Canvas.TextHeightWithDescent * fontScale) + 2;
        for (int i = 0; i < top.Count; i++)
        {
            string text = $"{top[i].Name} {top[i].Confidence.ToString("0.00", CultureInfo.InvariantCulture)}";
            int y = 2 + (i * lineHeight);
            canvas.FillRect(2, y, Canvas.MeasureText(text, fontScale) + 4, lineHeight, LabelBackground);
            canvas.DrawText(4, y + 1, text, Rgb.White, fontScale);
        }

        return canvas.ToImage();
    }

    private void WriteSummary(TextWriter? output, bool verbose)
    {
        if (output is null)
        {
            return;
        }

        if (verbose && Seen > 0)
        {
            var speed = Speed;
            string shape = Model!.Input.Kind == ModelInputKind.Image
                ? $"({Options.Batch}, 1, {Model.Input.Height}, {Model.Input.Width})"
                : $"({Options.Batch}, {Model.Input.FeatureCount})";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Speed: {speed.PreprocessMs:0.0}ms preprocess, {speed.InferenceMs:0.0}ms inference, {speed.PostprocessMs:0.0}ms postprocess per image at shape {shape}"));
        }

        if (_skipped.Count > 0)
        {
            output.WriteLine($"Skipped {_skipped.Count} of {Total} inputs that could not be read: {string.Join(", ", _skipped.Select(s => s.Path))}");
        }

        if (!Completed)
        {
            output.WriteLine($"Stopped after {Seen} of {Total} inputs.");
        }

        if (SaveDir.Length > 0)
        {
            output.WriteLine($"Results saved to {SaveDir}");
            if (_labelsWritten > 0)
            {
                output.WriteLine($"{_labelsWritten} label{(_labelsWritten == 1 ? string.Empty : "s")} saved to {Path.Combine(SaveDir, "labels")}");
            }
        }
    }

    private double Ms(long ticks) => ticks * 1000.0 / Time.TimestampFrequency;
}
