namespace Stepwise.TensorBoard.Model;

/// <summary>A precision-recall curve: six rows of <see cref="NumThresholds"/> values, as the pr_curves plugin stores them.</summary>
public sealed record PrCurveData
{
    /// <summary>Number of thresholds (columns), at most 127.</summary>
    public int NumThresholds { get; init; }

    /// <summary>True positives at each threshold.</summary>
    public IReadOnlyList<float> TruePositives { get; init; } = [];

    /// <summary>False positives at each threshold.</summary>
    public IReadOnlyList<float> FalsePositives { get; init; } = [];

    /// <summary>True negatives at each threshold.</summary>
    public IReadOnlyList<float> TrueNegatives { get; init; } = [];

    /// <summary>False negatives at each threshold.</summary>
    public IReadOnlyList<float> FalseNegatives { get; init; } = [];

    /// <summary>Precision at each threshold.</summary>
    public IReadOnlyList<float> Precision { get; init; } = [];

    /// <summary>Recall at each threshold.</summary>
    public IReadOnlyList<float> Recall { get; init; } = [];

    /// <summary>
    /// Computes the curve from binary labels and predicted probabilities as tensorboardX's <c>add_pr_curve</c>
    /// does: predictions are bucketed by floor(p·(n−1)), counts are accumulated from the highest threshold
    /// down, precision = tp / max(1e-7, tp + fp), recall = tp / max(1e-7, tp + fn).
    /// </summary>
    /// <param name="labels">Ground truth per sample: 0 or 1 (any non-zero counts as positive).</param>
    /// <param name="predictions">Predicted probability of the positive class per sample, in [0, 1].</param>
    /// <param name="numThresholds">Thresholds (2…127).</param>
    /// <param name="weights">Optional weight per sample; empty for 1.</param>
    /// <returns>The curve.</returns>
    /// <exception cref="ArgumentException">Lengths differ, a prediction is outside [0, 1], or the threshold count is out of range.</exception>
    public static PrCurveData FromPredictions(ReadOnlySpan<int> labels, ReadOnlySpan<double> predictions, int numThresholds = 127, ReadOnlySpan<double> weights = default)
    {
        if (numThresholds is < 2 or > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(numThresholds), numThresholds, "numThresholds must be between 2 and 127.");
        }

        if (labels.Length != predictions.Length || (!weights.IsEmpty && weights.Length != labels.Length))
        {
            throw new ArgumentException($"labels ({labels.Length}), predictions ({predictions.Length}) and weights ({weights.Length}) must have the same length.", nameof(predictions));
        }

        var tpBuckets = new double[numThresholds];
        var fpBuckets = new double[numThresholds];
        for (int i = 0; i < predictions.Length; i++)
        {
            double p = predictions[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"Prediction {i} is {p}; predictions must be probabilities in [0, 1].", nameof(predictions));
            }

            int bucket = (int)Math.Floor(p * (numThresholds - 1));
            double w = weights.IsEmpty ? 1.0 : weights[i];
            double label = labels[i] != 0 ? 1.0 : 0.0;
            tpBuckets[bucket] += label * w;
            fpBuckets[bucket] += (1.0 - label) * w;
        }

        var tp = new double[numThresholds];
        var fp = new double[numThresholds];
        double tpSum = 0;
        double fpSum = 0;
        for (int k = numThresholds - 1; k >= 0; k--)
        {
            tpSum += tpBuckets[k];
            fpSum += fpBuckets[k];
            tp[k] = tpSum;
            fp[k] = fpSum;
        }

        var rows = new float[6][];
        for (int r = 0; r < 6; r++)
        {
            rows[r] = new float[numThresholds];
        }

        for (int k = 0; k < numThresholds; k++)
        {
            double tn = fp[0] - fp[k];
            double fn = tp[0] - tp[k];
            rows[0][k] = (float)tp[k];
            rows[1][k] = (float)fp[k];
            rows[2][k] = (float)tn;
            rows[3][k] = (float)fn;
            rows[4][k] = (float)(tp[k] / Math.Max(1e-7, tp[k] + fp[k]));
            rows[5][k] = (float)(tp[k] / Math.Max(1e-7, tp[k] + fn));
        }

        return new PrCurveData
        {
            NumThresholds = numThresholds,
            TruePositives = rows[0],
            FalsePositives = rows[1],
            TrueNegatives = rows[2],
            FalseNegatives = rows[3],
            Precision = rows[4],
            Recall = rows[5],
        };
    }
}
