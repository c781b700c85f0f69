using System.Globalization;
using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    /// <summary>Logs a metric value at the current step (see <see cref="LogMetric(string, double, bool, bool)"/>).</summary>
    /// <param name="name">Metric name; <c>/</c> nests it (<c>train/loss</c>).</param>
    /// <param name="value">The value.</param>
    /// <param name="timestamp">Add a <c>timestamp</c> column (ms since the epoch) to the .tsv.</param>
    /// <param name="plot">Append a row to <c>plots/metrics/&lt;name&gt;.tsv</c>; false = summary only.</param>
    public void LogMetric(string name, long value, bool timestamp = false, bool plot = true) =>
        LogMetricCore(name, value, value.ToString(CultureInfo.InvariantCulture), timestamp, plot);

    /// <inheritdoc cref="LogMetric(string, long, bool, bool)"/>
    public void LogMetric(string name, int value, bool timestamp = false, bool plot = true) =>
        LogMetricCore(name, (long)value, value.ToString(CultureInfo.InvariantCulture), timestamp, plot);

    /// <summary>
    /// Logs a metric value at the current step: a row in its .tsv (unless <paramref name="plot"/> is
    /// false) and the latest value in the summary. NaN and infinities are written as the strings
    /// <c>nan</c>, <c>inf</c>, <c>-inf</c>, as the reference does.
    /// </summary>
    /// <param name="name">Metric name; <c>/</c> nests it (<c>train/loss</c>).</param>
    /// <param name="value">The value.</param>
    /// <param name="timestamp">Add a <c>timestamp</c> column (ms since the epoch) to the .tsv.</param>
    /// <param name="plot">Append a row to <c>plots/metrics/&lt;name&gt;.tsv</c>; false = summary only.</param>
    public void LogMetric(string name, double value, bool timestamp = false, bool plot = true)
    {
        if (!double.IsFinite(value))
        {
            var text = PyFormat.Double(value);
            LogMetricCore(name, text, text, timestamp, plot);
            return;
        }

        LogMetricCore(name, value, PyFormat.Double(value), timestamp, plot);
    }

    /// <summary>
    /// Logs a single-precision metric (numpy float32 semantics: the .tsv shows the shortest float text,
    /// metrics.json the value widened to double).
    /// </summary>
    /// <inheritdoc cref="LogMetric(string, long, bool, bool)"/>
    public void LogMetric(string name, float value, bool timestamp = false, bool plot = true)
    {
        if (!float.IsFinite(value))
        {
            var text = PyFormat.Single(value);
            LogMetricCore(name, text, text, timestamp, plot);
            return;
        }

        LogMetricCore(name, value, PyFormat.Single(value), timestamp, plot);
    }

    /// <summary>Logs a string metric (written verbatim).</summary>
    /// <inheritdoc cref="LogMetric(string, long, bool, bool)"/>
    public void LogMetric(string name, string value, bool timestamp = false, bool plot = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        LogMetricCore(name, value, value, timestamp, plot);
    }

    /// <summary>Logs a boolean metric (<c>True</c>/<c>False</c> in the .tsv, <c>true</c>/<c>false</c> in JSON).</summary>
    /// <inheritdoc cref="LogMetric(string, long, bool, bool)"/>
    public void LogMetric(string name, bool value, bool timestamp = false, bool plot = true) =>
        LogMetricCore(name, value, value ? "True" : "False", timestamp, plot);

    /// <summary>Logs a metric given as an object of a supported type (int, long, float, double, string, bool).</summary>
    /// <exception cref="InvalidDataTypeException">Any other type.</exception>
    /// <inheritdoc cref="LogMetric(string, long, bool, bool)"/>
    public void LogMetric(string name, object? value, bool timestamp = false, bool plot = true)
    {
        switch (value)
        {
            case double d:
                LogMetric(name, d, timestamp, plot);
                break;
            case float f:
                LogMetric(name, f, timestamp, plot);
                break;
            case bool b:
                LogMetric(name, b, timestamp, plot);
                break;
            case string s:
                LogMetric(name, s, timestamp, plot);
                break;
            case decimal m:
                LogMetric(name, (double)m, timestamp, plot);
                break;
            case Half h:
                LogMetric(name, (float)h, timestamp, plot);
                break;
            case ulong or System.Numerics.BigInteger:
                LogMetricCore(name, value, PyFormat.Str(value), timestamp, plot);
                break;
            case sbyte or byte or short or ushort or int or uint or long or nint or nuint:
                LogMetric(name, Convert.ToInt64(value, CultureInfo.InvariantCulture), timestamp, plot);
                break;
            default:
                throw new InvalidDataTypeException(
                    $"Data '{name}' has not supported type {(value is null ? "<class 'NoneType'>" : "<class '" + value.GetType().FullName + "'>")}");
        }
    }

    private void LogMetricCore(string name, object value, string cell, bool timestamp, bool plot)
    {
        // The system monitor logs from its own thread.
        lock (_logGate)
        {
            LogMetricLocked(name, value, cell, timestamp, plot);
        }
    }

    private void LogMetricLocked(string name, object value, string cell, bool timestamp, bool plot)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(name);
        if (!_metricNames.TryGetValue(name, out var segments))
        {
            segments = ValidateName(name, "metric");
            _metricNames[name] = segments;
        }

        if (plot)
        {
            var key = string.Join('/', segments);
            if (!_metrics.TryGetValue(key, out var writer))
            {
                var path = Path.Combine([PlotsDir, "metrics", .. segments[..^1], segments[^1] + ".tsv"]);
                writer = new MetricTsvWriter(path, segments[^1]);
                _metrics[key] = writer;
                _metricOrder.Add(writer);
                _dvcYamlDirty = true;
            }

            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (!writer.Append(Step, cell, timestamp ? now : null, now) && !writer.ColumnMismatchWarned)
            {
                writer.ColumnMismatchWarned = true;
                _logger.LogWarning(
                    "Metric '{Name}' was logged with timestamp={Timestamp}, but its file has {Columns}; the file's columns are kept.",
                    name,
                    timestamp,
                    timestamp ? "no timestamp column" : "a timestamp column");
            }

            if (_studio is not null)
            {
                AddStudioRow(writer, Step, writer.HasTimestampColumn ? now : null, cell);
            }

            if (_options.WriteRowsImmediately)
            {
                writer.Flush();
            }
        }

        if (!_metricsLogged)
        {
            _metricsLogged = true;
            _dvcYamlDirty = true;
        }

        SetSummaryValue(segments, value);
    }

    private readonly Dictionary<string, string[]> _metricNames = new(StringComparer.Ordinal);
    private static readonly char[] InvalidNameChars = Path.GetInvalidFileNameChars().Where(c => c is not '/' and not '\\').ToArray();

    private void SetSummaryValue(string[] segments, object value)
    {
        IDictionary<string, object?> node = _summary;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (node.TryGetValue(segments[i], out var child) && child is IDictionary<string, object?> childMap)
            {
                node = childMap;
                continue;
            }

            var created = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            node[segments[i]] = created;
            node = created;
        }

        node[segments[^1]] = value;
    }

    /// <summary>Splits a name on <c>/</c> into path segments, rejecting names that leave the output folder.</summary>
    private static string[] ValidateName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        var segments = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Length == 0 || segments.Any(s => s == "..") || Path.IsPathRooted(name)
            || name.AsSpan().IndexOfAny(InvalidNameChars) >= 0)
        {
            throw new InvalidMetricNameException($"Cannot log {what} with name '{name}': it must be a relative path inside the output folder.");
        }

        return segments;
    }
}
