namespace Stepwise.Dvc.Internal;

/// <summary>
/// The binary-classification curves of scikit-learn 1.2 (<c>roc_curve</c>, <c>precision_recall_curve</c>,
/// <c>det_curve</c>, <c>calibration_curve</c>), computed with the same definitions and float operations.
/// </summary>
internal static class SklearnCurves
{
    /// <summary><c>_binary_clf_curve</c>: false/true positive counts at each distinct score, descending.</summary>
    public static (double[] Fps, double[] Tps, double[] Thresholds) BinaryClfCurve(IReadOnlyList<bool> positive, IReadOnlyList<double> scores)
    {
        if (positive.Count != scores.Count)
        {
            throw new ArgumentException($"labels and predictions differ in length ({positive.Count} vs {scores.Count}).");
        }

        if (positive.Count == 0)
        {
            throw new ArgumentException("labels and predictions are empty.");
        }

        var n = scores.Count;
        // Stable ascending sort, then reversed (numpy mergesort + [::-1]).
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        Array.Reverse(order);
        var fps = new List<double>();
        var tps = new List<double>();
        var thresholds = new List<double>();
        double cumulative = 0;
        for (var k = 0; k < n; k++)
        {
            cumulative += positive[order[k]] ? 1 : 0;
            var last = k == n - 1;
            if (last || scores[order[k + 1]] != scores[order[k]])
            {
                tps.Add(cumulative);
                fps.Add(1 + k - cumulative);
                thresholds.Add(scores[order[k]]);
            }
        }

        return ([.. fps], [.. tps], [.. thresholds]);
    }

    /// <summary><c>roc_curve</c> (first threshold = max score + 1, as in scikit-learn 1.2).</summary>
    public static (double[] Fpr, double[] Tpr, double[] Thresholds) Roc(IReadOnlyList<bool> positive, IReadOnlyList<double> scores, bool dropIntermediate)
    {
        var (fps, tps, thresholds) = BinaryClfCurve(positive, scores);
        if (dropIntermediate && fps.Length > 2)
        {
            var keep = new List<int> { 0 };
            for (var i = 1; i < fps.Length - 1; i++)
            {
                var d2f = fps[i + 1] - (2 * fps[i]) + fps[i - 1];
                var d2t = tps[i + 1] - (2 * tps[i]) + tps[i - 1];
                if (d2f != 0 || d2t != 0)
                {
                    keep.Add(i);
                }
            }

            keep.Add(fps.Length - 1);
            fps = [.. keep.Select(i => fps[i])];
            tps = [.. keep.Select(i => tps[i])];
            thresholds = [.. keep.Select(i => thresholds[i])];
        }

        fps = [0, .. fps];
        tps = [0, .. tps];
        thresholds = [thresholds[0] + 1, .. thresholds];
        var fpr = fps.Select(f => f / fps[^1]).ToArray();
        var tpr = tps.Select(t => t / tps[^1]).ToArray();
        return (fpr, tpr, thresholds);
    }

    /// <summary><c>precision_recall_curve</c>: precision and recall end with the (1, 0) point, which has no threshold.</summary>
    public static (double[] Precision, double[] Recall, double[] Thresholds) PrecisionRecall(IReadOnlyList<bool> positive, IReadOnlyList<double> scores)
    {
        var (fps, tps, thresholds) = BinaryClfCurve(positive, scores);
        var n = tps.Length;
        var precision = new double[n + 1];
        var recall = new double[n + 1];
        var reversedThresholds = new double[n];
        for (var i = 0; i < n; i++)
        {
            var src = n - 1 - i;
            var ps = tps[src] + fps[src];
            precision[i] = ps != 0 ? tps[src] / ps : 0;
            recall[i] = tps[^1] == 0 ? 1 : tps[src] / tps[^1];
            reversedThresholds[i] = thresholds[src];
        }

        precision[n] = 1;
        recall[n] = 0;
        return (precision, recall, reversedThresholds);
    }

    /// <summary><c>det_curve</c>: false positive and false negative rates.</summary>
    public static (double[] Fpr, double[] Fnr, double[] Thresholds) Det(IReadOnlyList<bool> positive, IReadOnlyList<double> scores)
    {
        if (positive.Distinct().Count() != 2)
        {
            throw new ArgumentException("Only one class present in labels. Detection error tradeoff curve is not defined in that case.");
        }

        var (fps, tps, thresholds) = BinaryClfCurve(positive, scores);
        var pCount = tps[^1];
        var nCount = fps[^1];
        var firstInd = fps.Count(f => f <= fps[0]) - 1;
        var lastInd = Array.FindIndex(tps, t => t >= tps[^1]) + 1;
        var fpr = new List<double>();
        var fnr = new List<double>();
        var th = new List<double>();
        for (var i = lastInd - 1; i >= firstInd; i--)
        {
            fpr.Add(fps[i] / nCount);
            fnr.Add((pCount - tps[i]) / pCount);
            th.Add(thresholds[i]);
        }

        return ([.. fpr], [.. fnr], [.. th]);
    }

    /// <summary><c>calibration_curve</c> with <c>uniform</c> or <c>quantile</c> bins.</summary>
    public static (double[] ProbTrue, double[] ProbPred) Calibration(IReadOnlyList<bool> positive, IReadOnlyList<double> probabilities, int bins, string strategy)
    {
        if (positive.Count != probabilities.Count || positive.Count == 0)
        {
            throw new ArgumentException("labels and predictions must be non-empty and of the same length.");
        }

        if (probabilities.Any(p => p < 0 || p > 1))
        {
            throw new ArgumentException("y_prob has values outside [0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var edges = strategy switch
        {
            "uniform" => Linspace(0, 1, bins + 1),
            "quantile" => Linspace(0, 1, bins + 1).Select(q => Percentile(probabilities, q * 100)).ToArray(),
            _ => throw new ArgumentException($"Invalid entry to 'strategy' input. Strategy must be either 'quantile' or 'uniform'. Got {strategy} instead."),
        };
        var sums = new double[edges.Length];
        var trues = new double[edges.Length];
        var totals = new long[edges.Length];
        for (var i = 0; i < probabilities.Count; i++)
        {
            // np.searchsorted(edges[1:-1], p) with side='left'.
            var id = 0;
            for (var e = 1; e < edges.Length - 1; e++)
            {
                if (edges[e] < probabilities[i])
                {
                    id = e;
                }
            }

            sums[id] += probabilities[i];
            trues[id] += positive[i] ? 1 : 0;
            totals[id]++;
        }

        var probTrue = new List<double>();
        var probPred = new List<double>();
        for (var b = 0; b < edges.Length; b++)
        {
            if (totals[b] != 0)
            {
                probTrue.Add(trues[b] / totals[b]);
                probPred.Add(sums[b] / totals[b]);
            }
        }

        return ([.. probTrue], [.. probPred]);
    }

    /// <summary><c>np.linspace(start, stop, num)</c> with numpy's arithmetic.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        var result = new double[num];
        var div = num - 1;
        var step = (stop - start) / div;
        for (var i = 0; i < num; i++)
        {
            result[i] = (i * step) + start;
        }

        if (num > 1)
        {
            result[^1] = stop;
        }

        return result;
    }

    private static double Percentile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var fraction = position - lower;
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction);
    }
}
