using System.Globalization;
using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    private static readonly string[] SklearnKinds = ["calibration", "confusion_matrix", "det", "precision_recall", "roc"];

    /// <summary>
    /// Logs a custom plot: the datapoints go to <c>plots/custom/&lt;name&gt;.json</c> (JSON, values keep their
    /// types) and a plot entry with the template and fields goes to dvc.yaml. The configuration of the
    /// first call for a name is kept; later calls only replace the data.
    /// </summary>
    /// <param name="name">Plot name (<c>.json</c> is removed wherever it appears); may contain folders.</param>
    /// <param name="datapoints">Rows of field → value.</param>
    /// <param name="x">Field on the x axis.</param>
    /// <param name="y">Field(s) on the y axis.</param>
    /// <param name="template">DVC plot template; null or empty leaves it to DVC (<c>linear</c>).</param>
    /// <param name="title">Plot title.</param>
    /// <param name="xLabel">X axis label.</param>
    /// <param name="yLabel">Y axis label.</param>
    public void LogPlot(
        string name,
        IEnumerable<IEnumerable<KeyValuePair<string, object?>>> datapoints,
        string x,
        IReadOnlyList<string> y,
        string? template = "linear",
        string? title = null,
        string? xLabel = null,
        string? yLabel = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        LogPlotCore(name, datapoints, x, y.Count == 1 ? y[0] : y.ToList<object?>(), template, title, xLabel, yLabel);
    }

    /// <inheritdoc cref="LogPlot(string, IEnumerable{IEnumerable{KeyValuePair{string, object}}}, string, IReadOnlyList{string}, string, string, string, string)"/>
    public void LogPlot(
        string name,
        IEnumerable<IEnumerable<KeyValuePair<string, object?>>> datapoints,
        string x,
        string y,
        string? template = "linear",
        string? title = null,
        string? xLabel = null,
        string? yLabel = null) =>
        LogPlotCore(name, datapoints, x, y, template, title, xLabel, yLabel);

    private void LogPlotCore(
        string name,
        IEnumerable<IEnumerable<KeyValuePair<string, object?>>> datapoints,
        string x,
        object y,
        string? template,
        string? title,
        string? xLabel,
        string? yLabel)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(datapoints);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        name = name.Replace(".json", string.Empty, StringComparison.Ordinal);
        var segments = ValidateName(name, "plot");
        var rows = new List<object?>();
        var index = 0;
        foreach (var point in datapoints)
        {
            if (point is null || !LiveValues.TryNormalize(point.ToList(), "datapoints", out _, out _))
            {
                throw new InvalidDataTypeException($"Data '{name}' has not supported type: datapoint {index} is null or holds a value JSON cannot represent.");
            }

            var row = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (field, value) in point)
            {
                LiveValues.TryNormalize(value, field, out var normalized, out _);
                row[field] = normalized;
            }

            rows.Add(row);
            index++;
        }

        var key = string.Join('/', segments);
        if (!_plots.TryGetValue(key, out var entry) || entry.Carried)
        {
            var config = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            if (!string.IsNullOrEmpty(template))
            {
                config["template"] = template;
            }

            config["x"] = x;
            config["y"] = y;
            AddIfNotNull(config, "title", title);
            AddIfNotNull(config, "x_label", xLabel);
            AddIfNotNull(config, "y_label", yLabel);
            entry = new PlotEntry("custom/" + key + ".json", entry?.Carried == true ? entry.Config : config, null, false);
            _plots[key] = entry;
            _dvcYamlDirty = true;
        }

        WritePlotFile(entry, rows);
    }

    private static void AddIfNotNull(OrderedDictionary<string, object?> config, string key, string? value)
    {
        if (value is not null)
        {
            config[key] = value;
        }
    }

    private void WritePlotFile(PlotEntry entry, object data)
    {
        var path = Path.Combine(PlotsDir, entry.RelativeFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteText(path, PyJson.Serialize(data) + "\n");
    }

    /// <summary>
    /// Logs a scikit-learn-style plot computed from labels and predictions: <c>roc</c>,
    /// <c>precision_recall</c>, <c>det</c>, <c>calibration</c> (scores/probabilities of the positive class)
    /// or <c>confusion_matrix</c> (predicted labels). Data goes to <c>plots/sklearn/&lt;name&gt;.json</c>.
    /// </summary>
    /// <typeparam name="TLabel">Label type (int, bool, string, …).</typeparam>
    /// <typeparam name="TPrediction">Prediction type: a score for the curves, a label for the confusion matrix.</typeparam>
    /// <param name="kind">One of <c>calibration</c>, <c>confusion_matrix</c>, <c>det</c>, <c>precision_recall</c>, <c>roc</c>.</param>
    /// <param name="labels">True labels.</param>
    /// <param name="predictions">Scores or predicted labels, one per label.</param>
    /// <param name="name">File/plot name (default: the kind); <c>.json</c> is removed.</param>
    /// <param name="title">Title (default per kind).</param>
    /// <param name="xLabel">X axis label (default per kind).</param>
    /// <param name="yLabel">Y axis label (default per kind).</param>
    /// <param name="normalized">Confusion matrix only: use the <c>confusion_normalized</c> template.</param>
    /// <param name="options">Arguments of the underlying curve (positive label, drop_intermediate, bins).</param>
    /// <exception cref="InvalidPlotTypeException">Unknown <paramref name="kind"/>.</exception>
    public void LogSklearnPlot<TLabel, TPrediction>(
        string kind,
        IReadOnlyList<TLabel> labels,
        IReadOnlyList<TPrediction> predictions,
        string? name = null,
        string? title = null,
        string? xLabel = null,
        string? yLabel = null,
        bool normalized = false,
        SklearnPlotOptions? options = null)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        if (!SklearnKinds.Contains(kind, StringComparer.Ordinal))
        {
            throw new InvalidPlotTypeException(
                $"Plot type '{kind}' is not supported.\nSupported types are: ['calibration', 'confusion_matrix', 'det', 'precision_recall', 'roc']");
        }

        if (labels.Count != predictions.Count)
        {
            throw new ArgumentException($"log_sklearn_plot('{kind}'): {labels.Count} labels but {predictions.Count} predictions.", nameof(predictions));
        }

        options ??= new SklearnPlotOptions();
        name = (name ?? kind).Replace(".json", string.Empty, StringComparison.Ordinal);
        var segments = ValidateName(name, "plot");
        var key = string.Join('/', segments);
        if (!_plots.TryGetValue(key, out var entry) || entry.Carried)
        {
            var config = SklearnConfig(kind, normalized, title, xLabel, yLabel);
            entry = new PlotEntry("sklearn/" + key + ".json", config, kind, false);
            _plots[key] = entry;
            _dvcYamlDirty = true;
        }

        var effectiveKind = entry.SklearnKind ?? kind;
        WritePlotFile(entry, SklearnData(effectiveKind, labels, predictions, options));
    }

    private static OrderedDictionary<string, object?> SklearnConfig(string kind, bool normalized, string? title, string? xLabel, string? yLabel)
    {
        var (template, x, y, defaultTitle, defaultX, defaultY) = kind switch
        {
            "roc" => ("simple", "fpr", "tpr", "Receiver operating characteristic (ROC)", "False Positive Rate", "True Positive Rate"),
            "precision_recall" => ("simple", "recall", "precision", "Precision-Recall Curve", "Recall", "Precision"),
            "det" => ("simple", "fpr", "fnr", "Detection error tradeoff (DET)", "False Positive Rate", "False Negative Rate"),
            "calibration" => ("simple", "prob_pred", "prob_true", "Calibration Curve", "Mean Predicted Probability", "Fraction of Positives"),
            _ => (normalized ? "confusion_normalized" : "confusion", "actual", "predicted", "Confusion Matrix", "True Label", "Predicted Label"),
        };
        return new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["template"] = template,
            ["x"] = x,
            ["y"] = y,
            ["title"] = title ?? defaultTitle,
            ["x_label"] = xLabel ?? defaultX,
            ["y_label"] = yLabel ?? defaultY,
        };
    }

    private static object SklearnData<TLabel, TPrediction>(string kind, IReadOnlyList<TLabel> labels, IReadOnlyList<TPrediction> predictions, SklearnPlotOptions options)
    {
        if (kind == "confusion_matrix")
        {
            var rows = new List<object?>(labels.Count);
            for (var i = 0; i < labels.Count; i++)
            {
                rows.Add(new OrderedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["actual"] = PyFormat.Str(labels[i]),
                    ["predicted"] = PyFormat.Str(predictions[i]),
                });
            }

            return rows;
        }

        var positive = labels.Select(l => IsPositive(l, options.PositiveLabel)).ToList();
        var scores = predictions.Select(p => Convert.ToDouble(p, CultureInfo.InvariantCulture)).ToList();
        List<object?> points = [];
        switch (kind)
        {
            case "roc":
                var (fpr, tpr, rocThresholds) = SklearnCurves.Roc(positive, scores, options.DropIntermediate);
                for (var i = 0; i < fpr.Length; i++)
                {
                    points.Add(Row(("fpr", fpr[i]), ("tpr", tpr[i]), ("threshold", rocThresholds[i])));
                }

                break;
            case "precision_recall":
                var (precision, recall, prThresholds) = SklearnCurves.PrecisionRecall(positive, scores);
                for (var i = 0; i < prThresholds.Length; i++)
                {
                    points.Add(Row(("precision", precision[i]), ("recall", recall[i]), ("threshold", prThresholds[i])));
                }

                break;
            case "det":
                var (detFpr, fnr, detThresholds) = SklearnCurves.Det(positive, scores);
                for (var i = 0; i < detFpr.Length; i++)
                {
                    points.Add(Row(("fpr", detFpr[i]), ("fnr", fnr[i]), ("threshold", detThresholds[i])));
                }

                break;
            default:
                var (probTrue, probPred) = SklearnCurves.Calibration(positive, scores, options.Bins, options.Strategy);
                for (var i = 0; i < probTrue.Length; i++)
                {
                    points.Add(Row(("prob_true", probTrue[i]), ("prob_pred", probPred[i])));
                }

                break;
        }

        return new OrderedDictionary<string, object?>(StringComparer.Ordinal) { [kind] = points };
    }

    private static OrderedDictionary<string, object?> Row(params (string Key, double Value)[] cells)
    {
        var row = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in cells)
        {
            row[key] = value;
        }

        return row;
    }

    private static bool IsPositive<TLabel>(TLabel label, object? positiveLabel)
    {
        if (positiveLabel is not null)
        {
            return string.Equals(PyFormat.Str(label), PyFormat.Str(positiveLabel), StringComparison.Ordinal);
        }

        return label switch
        {
            bool b => b,
            string s => throw new ArgumentException($"String labels ('{s}') need SklearnPlotOptions.PositiveLabel."),
            null => false,
            _ => Convert.ToDouble(label, CultureInfo.InvariantCulture) == 1,
        };
    }
}
