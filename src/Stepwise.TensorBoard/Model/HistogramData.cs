namespace Stepwise.TensorBoard.Model;

/// <summary>
/// A histogram as TensorBoard stores it (<c>HistogramProto</c>): <see cref="BucketLimits"/>[i] is the right
/// edge of bucket i, which covers (limit[i−1], limit[i]]; the first bucket starts at <see cref="Min"/>.
/// </summary>
public sealed record HistogramData
{
    /// <summary>Smallest value.</summary>
    public double Min { get; init; }

    /// <summary>Largest value.</summary>
    public double Max { get; init; }

    /// <summary>Number of values.</summary>
    public double Count { get; init; }

    /// <summary>Sum of the values.</summary>
    public double Sum { get; init; }

    /// <summary>Sum of the squared values.</summary>
    public double SumSquares { get; init; }

    /// <summary>Right edge of each bucket.</summary>
    public IReadOnlyList<double> BucketLimits { get; init; } = [];

    /// <summary>Count of each bucket.</summary>
    public IReadOnlyList<double> BucketCounts { get; init; } = [];

    /// <summary>
    /// Buckets values the way tensorboardX's <c>add_histogram(bins="tensorflow")</c> does: edges ±1e-12·1.1^k
    /// up to 1e20 around 0, numpy histogram counting, optional merging down to <paramref name="maxBins"/>,
    /// then trimming to the occupied range plus one empty bucket on the left. NaN and values beyond
    /// ±1e20 are not counted in buckets (as numpy drops them) but do count in min, max, num and sums.
    /// </summary>
    /// <param name="values">The values (at least one).</param>
    /// <param name="maxBins">Merge adjacent buckets so that at most this many remain; null keeps all.</param>
    /// <returns>The histogram.</returns>
    /// <exception cref="ArgumentException">No values, or a non-finite value.</exception>
    public static HistogramData FromValues(ReadOnlySpan<double> values, int? maxBins = null) => HistogramBuckets.Compute(values, maxBins);
}
