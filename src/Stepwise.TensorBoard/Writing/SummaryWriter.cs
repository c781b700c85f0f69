using System.Text;
using Stepwise.Imaging;
using Stepwise.TensorBoard.Model;
using Stepwise.TensorBoard.Records;

namespace Stepwise.TensorBoard.Writing;

/// <summary>
/// Writes TensorBoard summaries into one run directory, with the API of tensorboardX's
/// <c>SummaryWriter</c> in .NET naming. Every method takes an optional step (0 when null) and wall time
/// (now, from the options' clock, when null). Safe to call from several threads.
/// </summary>
public sealed class SummaryWriter : IDisposable
{
    private const string HParamsPlugin = "hparams";

    [ThreadStatic]
    private static ProtoWriter? _threadWriter;

    private readonly SummaryWriterOptions _options;
    private readonly EventFileWriter _writer;
    private readonly Dictionary<string, SummaryWriter> _subRuns = new(StringComparer.Ordinal);
    private readonly List<HParamInfo> _hparamInfos = [];
    private readonly List<string> _metricTags = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Creates the run directory if needed and opens a new event file in it.</summary>
    /// <param name="logDir">The run directory, e.g. <c>runs/classify/train</c>.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <exception cref="IOException">The event file cannot be created.</exception>
    public SummaryWriter(string logDir, SummaryWriterOptions? options = null)
        : this(logDir, options, null)
    {
    }

    internal SummaryWriter(string logDir, SummaryWriterOptions? options, Func<string, Stream>? openStream)
    {
        _options = options ?? new SummaryWriterOptions();
        _writer = new EventFileWriter(logDir, _options.File, openStream);
    }

    /// <summary>The run directory (absolute).</summary>
    public string LogDir => _writer.LogDir;

    /// <summary>The event file this writer appends to.</summary>
    public string FilePath => _writer.FilePath;

    /// <summary>The underlying event file writer (for raw events).</summary>
    public EventFileWriter FileWriter => _writer;

    /// <summary>Logs one scalar as <c>simple_value</c> (float32, as TensorBoard stores it).</summary>
    /// <param name="tag">Tag, e.g. <c>train/loss</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    /// <param name="displayName">Optional display name (metadata).</param>
    /// <param name="description">Optional description (metadata).</param>
    public void AddScalar(string tag, double value, long? step = null, double? wallTime = null, string? displayName = null, string? description = null)
    {
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        double wall = wallTime ?? _writer.Now();
        if (displayName is null && description is null)
        {
            int tagBytes = Encoding.UTF8.GetByteCount(tag);
            if (tagBytes <= 1024)
            {
                Span<byte> payload = stackalloc byte[tagBytes + EventEncoder.ScalarOverhead];
                int length = EventEncoder.EncodeScalar(payload, wall, step ?? 0, tag, tagBytes, (float)value);
                _writer.WriteEvent(payload[..length]);
                return;
            }
        }

        var w = Writer();
        int summary = EventEncoder.BeginSummaryEvent(w, wall, step ?? 0);
        int v = w.BeginMessage(1);
        w.String(EventEncoder.ValueTag, tag);
        w.FloatAlways(EventEncoder.ValueSimple, (float)value);
        if (!string.IsNullOrEmpty(displayName) || !string.IsNullOrEmpty(description))
        {
            EventEncoder.Metadata(w, null, default, displayName, description);
        }

        w.EndMessage(v);
        w.EndMessage(summary);
        _writer.WriteEvent(w.WrittenSpan);
    }

    /// <summary>
    /// Logs several series into one chart: each key gets its own sub-run <c>&lt;logdir&gt;/&lt;mainTag&gt;/&lt;key&gt;</c>
    /// holding the value under tag <paramref name="mainTag"/>, as the reference lays it out.
    /// </summary>
    /// <param name="mainTag">The chart's tag.</param>
    /// <param name="values">Series name → value.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddScalars(string mainTag, IReadOnlyDictionary<string, double> values, long? step = null, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        mainTag = TagValidator.Check(mainTag, _options.SanitizeTags, nameof(mainTag));
        double wall = wallTime ?? _writer.Now();
        foreach (var (key, value) in values)
        {
            string series = TagValidator.Check(key, _options.SanitizeTags, nameof(values));
            SubRun(mainTag + "/" + series).AddScalar(mainTag, value, step, wall);
        }
    }

    /// <summary>Logs a histogram of values with the reference's default bucket scheme (see <see cref="HistogramData.FromValues"/>).</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="values">The values (at least one, all finite).</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    /// <param name="maxBins">Merge buckets down to at most this many; null keeps all.</param>
    public void AddHistogram(string tag, ReadOnlySpan<double> values, long? step = null, double? wallTime = null, int? maxBins = null)
    {
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        WriteHistogram(tag, HistogramData.FromValues(values, maxBins), step, wallTime);
    }

    /// <summary>Logs a histogram of float values (converted to double first, as the reference does).</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="values">The values (at least one, all finite).</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    /// <param name="maxBins">Merge buckets down to at most this many; null keeps all.</param>
    public void AddHistogram(string tag, ReadOnlySpan<float> values, long? step = null, double? wallTime = null, int? maxBins = null)
    {
        var doubles = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            doubles[i] = values[i];
        }

        AddHistogram(tag, doubles, step, wallTime, maxBins);
    }

    /// <summary>Logs a histogram from precomputed numbers, passed through unchanged.</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="histogram">The histogram; limits and counts must have the same length.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddHistogramRaw(string tag, HistogramData histogram, long? step = null, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        if (histogram.BucketLimits.Count != histogram.BucketCounts.Count)
        {
            throw new ArgumentException($"Histogram '{tag}': {histogram.BucketLimits.Count} bucket limits but {histogram.BucketCounts.Count} counts; they must pair up.", nameof(histogram));
        }

        if (histogram.BucketLimits.Count == 0)
        {
            throw new ArgumentException($"Histogram '{tag}' has no buckets.", nameof(histogram));
        }

        WriteHistogram(tag, histogram, step, wallTime);
    }

    /// <summary>Logs an image (PNG-encoded; colour space = the image's channel count).</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="image">The image.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddImage(string tag, RasterImage image, long? step = null, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        WriteImage(tag, image.Height, image.Width, image.Channels, Png.Encode(image), step, wallTime);
    }

    /// <summary>Logs an image from raw 8-bit pixels.</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="pixels">channels × height × width samples in <paramref name="format"/> order.</param>
    /// <param name="channels">1 (gray), 3 (RGB) or 4 (RGBA); 1 for <see cref="ImageDataFormat.Hw"/>.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="format">Layout of <paramref name="pixels"/>; CHW like the reference by default.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddImage(string tag, ReadOnlySpan<byte> pixels, int channels, int height, int width, ImageDataFormat format = ImageDataFormat.Chw, long? step = null, double? wallTime = null)
    {
        AddImage(tag, ImageLayout.FromRaw(pixels, channels, height, width, format), step, wallTime);
    }

    /// <summary>Logs an image from float pixels in [0, 1] (scaled by 255 and clipped, as the reference does).</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="pixels">channels × height × width samples in <paramref name="format"/> order.</param>
    /// <param name="channels">1 (gray), 3 (RGB) or 4 (RGBA); 1 for <see cref="ImageDataFormat.Hw"/>.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="format">Layout of <paramref name="pixels"/>; CHW like the reference by default.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddImage(string tag, ReadOnlySpan<float> pixels, int channels, int height, int width, ImageDataFormat format = ImageDataFormat.Chw, long? step = null, double? wallTime = null)
    {
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            bytes[i] = (byte)Math.Clamp(pixels[i] * 255f, 0f, 255f);
        }

        AddImage(tag, ImageLayout.FromRaw(bytes, channels, height, width, format), step, wallTime);
    }

    /// <summary>Logs an already encoded PNG (validated by decoding it).</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="png">The PNG file contents.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    /// <exception cref="PngFormatException">The bytes are not a valid PNG.</exception>
    public void AddImageEncoded(string tag, byte[] png, long? step = null, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        var decoded = Png.Decode(png, $"image '{tag}'");
        WriteImage(tag, decoded.Height, decoded.Width, decoded.Channels, png, step, wallTime);
    }

    /// <summary>
    /// Logs several images as one grid image (row-major, <paramref name="columns"/> per row, like the
    /// reference's <c>add_images</c>). Images must share a size; gray images join colour ones as RGB.
    /// </summary>
    /// <param name="tag">Tag.</param>
    /// <param name="images">The images (at least one).</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    /// <param name="columns">Images per row (8 like the reference).</param>
    public void AddImages(string tag, IReadOnlyList<RasterImage> images, long? step = null, double? wallTime = null, int columns = 8)
    {
        AddImage(tag, ImageLayout.Grid(images, columns), step, wallTime);
    }

    /// <summary>Logs Markdown text under tag <c>&lt;tag&gt;/text_summary</c>, as the reference does.</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="text">The text (Markdown).</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddText(string tag, string text, long? step = null, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        var w = Writer();
        int summary = EventEncoder.BeginSummaryEvent(w, wallTime ?? _writer.Now(), step ?? 0);
        int v = w.BeginMessage(1);
        w.String(EventEncoder.ValueTag, tag + "/text_summary");
        int tensor = w.BeginMessage(EventEncoder.ValueTensor);
        w.Int64(1, (long)TensorDataType.String);
        EventEncoder.Shape(w, 2, [1]);
        w.StringAlways(8, text);
        w.EndMessage(tensor);
        EventEncoder.Metadata(w, "text", default);
        w.EndMessage(v);
        w.EndMessage(summary);
        _writer.WriteEvent(w.WrittenSpan);
    }

    /// <summary>
    /// Logs hyperparameters and metrics for the hparams dashboard: the three summaries
    /// <c>_hparams_/experiment</c>, <c>_hparams_/session_start_info</c>, <c>_hparams_/session_end_info</c>,
    /// then each metric as a scalar. By default all of it goes into this writer's own run (see
    /// <see cref="HParamsOptions.RunName"/>). The experiment lists the union of every hyperparameter and
    /// metric this writer has logged, so the dashboard shows all columns.
    /// </summary>
    /// <param name="hparams">Name → value: numbers (as double), strings, booleans; null values are skipped; other types are written as their text.</param>
    /// <param name="metrics">Metric tag → value, written as scalars; may be null.</param>
    /// <param name="options">Run, step, wall time, extra metric tags, status.</param>
    public void AddHParams(IReadOnlyDictionary<string, object?> hparams, IReadOnlyDictionary<string, double>? metrics = null, HParamsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        options ??= new HParamsOptions();
        var values = new List<KeyValuePair<string, object>>();
        foreach (var (name, raw) in hparams)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A hyperparameter name must not be empty.", nameof(hparams));
            }

            if (raw is null)
            {
                continue;
            }

            values.Add(new(name, raw switch
            {
                bool b => b,
                string s => s,
                double or float or int or long or short or byte or sbyte or uint or ulong or ushort or decimal => Convert.ToDouble(raw, System.Globalization.CultureInfo.InvariantCulture),
                System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>().Select(x => Convert.ToString(x, System.Globalization.CultureInfo.InvariantCulture))),
                _ => Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            }));
        }

        var metricNames = new List<string>();
        foreach (var (tag, _) in metrics ?? new Dictionary<string, double>())
        {
            metricNames.Add(TagValidator.Check(tag, _options.SanitizeTags, nameof(metrics)));
        }

        foreach (string tag in options.MetricTags)
        {
            metricNames.Add(TagValidator.Check(tag, _options.SanitizeTags, nameof(options)));
        }

        List<HParamInfo> infos;
        List<string> metricUnion;
        lock (_lock)
        {
            foreach (var (name, value) in values)
            {
                var type = value switch { bool => HParamType.Bool, string => HParamType.String, _ => HParamType.Float64 };
                if (!_hparamInfos.Exists(i => i.Name == name))
                {
                    _hparamInfos.Add(new HParamInfo(name, type));
                }
            }

            foreach (string m in metricNames)
            {
                if (!_metricTags.Contains(m))
                {
                    _metricTags.Add(m);
                }
            }

            infos = [.. _hparamInfos];
            metricUnion = [.. _metricTags];
        }

        var target = options.RunName is null ? this : SubRun(options.RunName);
        double wall = options.WallTime ?? _writer.Now();
        target.WriteHParamsSummary("_hparams_/experiment", HParamsContent.Experiment(infos, metricUnion), wall);
        target.WriteHParamsSummary("_hparams_/session_start_info", HParamsContent.SessionStart(values), wall);
        target.WriteHParamsSummary("_hparams_/session_end_info", HParamsContent.SessionEnd((int)options.Status), wall);
        foreach (var (tag, value) in metrics ?? new Dictionary<string, double>())
        {
            target.AddScalar(tag, value, options.Step, wall);
        }
    }

    /// <summary>
    /// Logs a model graph for the Graphs dashboard: an event with the <c>GraphDef</c>, then the run
    /// metadata event tensorboardX writes after it (tag <c>profiler</c>, device <c>/device:CPU:0</c>).
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddGraph(GraphDefinition graph, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        double wall = wallTime ?? _writer.Now();
        byte[] graphDef = GraphEncoder.Encode(graph);
        var w = Writer();
        EventEncoder.BeginEvent(w, wall, 0);
        w.BytesAlways(EventEncoder.EventGraphDef, graphDef);
        _writer.WriteEvent(w.WrittenSpan);

        var meta = new ProtoWriter(32);
        int stepStats = meta.BeginMessage(1);
        int devStats = meta.BeginMessage(1);
        meta.String(1, "/device:CPU:0");
        meta.EndMessage(devStats);
        meta.EndMessage(stepStats);
        EventEncoder.BeginEvent(w, wall, 0);
        int tagged = w.BeginMessage(EventEncoder.EventTaggedRunMetadata);
        w.String(1, "profiler");
        w.Bytes(2, meta.WrittenSpan);
        w.EndMessage(tagged);
        _writer.WriteEvent(w.WrittenSpan);
    }

    /// <summary>Logs a precision-recall curve computed from labels and predictions (see <see cref="PrCurveData.FromPredictions"/>).</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="labels">0/1 label per sample.</param>
    /// <param name="predictions">Probability of the positive class per sample.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="numThresholds">Thresholds (2…127).</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddPrCurve(string tag, ReadOnlySpan<int> labels, ReadOnlySpan<double> predictions, long? step = null, int numThresholds = 127, double? wallTime = null)
    {
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        WritePrCurve(tag, PrCurveData.FromPredictions(labels, predictions, numThresholds), step, wallTime);
    }

    /// <summary>Logs a precision-recall curve from precomputed rows.</summary>
    /// <param name="tag">Tag.</param>
    /// <param name="curve">The six rows; each must hold <see cref="PrCurveData.NumThresholds"/> values.</param>
    /// <param name="step">Step; 0 when null.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddPrCurveRaw(string tag, PrCurveData curve, long? step = null, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(curve);
        tag = TagValidator.Check(tag, _options.SanitizeTags);
        int n = curve.NumThresholds;
        if (n is < 1 or > 127 || curve.TruePositives.Count != n || curve.FalsePositives.Count != n || curve.TrueNegatives.Count != n
            || curve.FalseNegatives.Count != n || curve.Precision.Count != n || curve.Recall.Count != n)
        {
            throw new ArgumentException($"PR curve '{tag}': every row must hold NumThresholds ({n}, at most 127) values.", nameof(curve));
        }

        WritePrCurve(tag, curve, step, wallTime);
    }

    /// <summary>
    /// Writes the Custom Scalars dashboard layout (tag <c>custom_scalars__config__</c>). Call once per
    /// run; charts refer to scalar tags by regular expression.
    /// </summary>
    /// <param name="categories">Categories, top to bottom.</param>
    /// <param name="wallTime">Unix seconds; now when null.</param>
    public void AddCustomScalars(IReadOnlyList<CustomScalarCategory> categories, double? wallTime = null)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var layout = new ProtoWriter(128);
        foreach (var category in categories)
        {
            int c = layout.BeginMessage(2);
            layout.String(1, category.Title);
            foreach (var chart in category.Charts)
            {
                int ch = layout.BeginMessage(2);
                layout.String(1, chart.Title);
                if (chart.Margins.Count > 0)
                {
                    int margin = layout.BeginMessage(3);
                    foreach (var (value, lower, upper) in chart.Margins)
                    {
                        int series = layout.BeginMessage(1);
                        layout.String(1, value);
                        layout.String(2, lower);
                        layout.String(3, upper);
                        layout.EndMessage(series);
                    }

                    layout.EndMessage(margin);
                }
                else
                {
                    int multi = layout.BeginMessage(2);
                    foreach (string t in chart.Tags)
                    {
                        layout.StringAlways(1, t);
                    }

                    layout.EndMessage(multi);
                }

                layout.EndMessage(ch);
            }

            layout.Bool(3, category.Closed);
            layout.EndMessage(c);
        }

        var w = Writer();
        int summary = EventEncoder.BeginSummaryEvent(w, wallTime ?? _writer.Now(), 0);
        int v = w.BeginMessage(1);
        w.String(EventEncoder.ValueTag, "custom_scalars__config__");
        int tensor = w.BeginMessage(EventEncoder.ValueTensor);
        w.Int64(1, (long)TensorDataType.String);
        EventEncoder.Shape(w, 2, []);
        w.BytesAlways(8, layout.WrittenSpan);
        w.EndMessage(tensor);
        EventEncoder.Metadata(w, "custom_scalars", default);
        w.EndMessage(v);
        w.EndMessage(summary);
        _writer.WriteEvent(w.WrittenSpan);
    }

    /// <summary>Writes everything logged so far (this run and its sub-runs) to the operating system.</summary>
    public void Flush()
    {
        foreach (var sub in SubRunsSnapshot())
        {
            sub.Flush();
        }

        _writer.Flush();
    }

    /// <summary>Flushes and closes this run's file and every sub-run's file; reports the first write failure.</summary>
    public void Dispose()
    {
        List<SummaryWriter> subs;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            subs = [.. _subRuns.Values];
        }

        Exception? first = null;
        foreach (var sub in subs)
        {
            try
            {
                sub.Dispose();
            }
            catch (Exception ex) when (ex is IOException or TimeoutException)
            {
                first ??= ex;
            }
        }

        try
        {
            _writer.Dispose();
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            first ??= ex;
        }

        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private static ProtoWriter Writer() => _threadWriter ??= new ProtoWriter(1024);

    private List<SummaryWriter> SubRunsSnapshot()
    {
        lock (_lock)
        {
            return [.. _subRuns.Values];
        }
    }

    private SummaryWriter SubRun(string relative)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_subRuns.TryGetValue(relative, out var sub))
            {
                string path = Path.GetFullPath(Path.Combine(LogDir, relative));
                if (!path.StartsWith(LogDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Sub-run '{relative}' must stay inside {LogDir}.", nameof(relative));
                }

                sub = new SummaryWriter(path, _options);
                _subRuns.Add(relative, sub);
            }

            return sub;
        }
    }

    private void WriteHParamsSummary(string tag, byte[] content, double wall)
    {
        var w = Writer();
        int summary = EventEncoder.BeginSummaryEvent(w, wall, 0);
        int v = w.BeginMessage(1);
        w.String(EventEncoder.ValueTag, tag);
        EventEncoder.Metadata(w, HParamsPlugin, content);
        w.EndMessage(v);
        w.EndMessage(summary);
        _writer.WriteEvent(w.WrittenSpan);
    }

    private void WriteHistogram(string tag, HistogramData h, long? step, double? wallTime)
    {
        var limits = h.BucketLimits.ToArray();
        var counts = h.BucketCounts.ToArray();
        var w = Writer();
        int summary = EventEncoder.BeginSummaryEvent(w, wallTime ?? _writer.Now(), step ?? 0);
        int v = w.BeginMessage(1);
        w.String(EventEncoder.ValueTag, tag);
        int histo = w.BeginMessage(EventEncoder.ValueHisto);
        w.Double(1, h.Min);
        w.Double(2, h.Max);
        w.Double(3, h.Count);
        w.Double(4, h.Sum);
        w.Double(5, h.SumSquares);
        w.PackedDoubles(6, limits);
        w.PackedDoubles(7, counts);
        w.EndMessage(histo);
        w.EndMessage(v);
        w.EndMessage(summary);
        _writer.WriteEvent(w.WrittenSpan);
    }

    private void WriteImage(string tag, int height, int width, int channels, byte[] png, long? step, double? wallTime)
    {
        var w = Writer();
        int summary = EventEncoder.BeginSummaryEvent(w, wallTime ?? _writer.Now(), step ?? 0);
        int v = w.BeginMessage(1);
        w.String(EventEncoder.ValueTag, tag);
        int image = w.BeginMessage(EventEncoder.ValueImage);
        w.Int64(1, height);
        w.Int64(2, width);
        w.Int64(3, channels);
        w.Bytes(4, png);
        w.EndMessage(image);
        EventEncoder.Metadata(w, "images", default);
        w.EndMessage(v);
        w.EndMessage(summary);
        _writer.WriteEvent(w.WrittenSpan);
    }

    private void WritePrCurve(string tag, PrCurveData curve, long? step, double? wallTime)
    {
        int n = curve.NumThresholds;
        var values = new float[6 * n];
        IReadOnlyList<float>[] rows = [curve.TruePositives, curve.FalsePositives, curve.TrueNegatives, curve.FalseNegatives, curve.Precision, curve.Recall];
        for (int r = 0; r < 6; r++)
        {
            for (int k = 0; k < n; k++)
            {
                values[(r * n) + k] = rows[r][k];
            }
        }

        var content = new ProtoWriter(8);
        content.Int64(2, n);
        var w = Writer();
        int summary = EventEncoder.BeginSummaryEvent(w, wallTime ?? _writer.Now(), step ?? 0);
        int v = w.BeginMessage(1);
        w.String(EventEncoder.ValueTag, tag);
        int tensor = w.BeginMessage(EventEncoder.ValueTensor);
        w.Int64(1, (long)TensorDataType.Float);
        EventEncoder.Shape(w, 2, [6, n]);
        w.PackedFloats(5, values);
        w.EndMessage(tensor);
        EventEncoder.Metadata(w, "pr_curves", content.WrittenSpan);
        w.EndMessage(v);
        w.EndMessage(summary);
        _writer.WriteEvent(w.WrittenSpan);
    }
}
