namespace Stepwise.TensorBoard.Model;

/// <summary>tensorboardX's default ("tensorflow") histogram bucketing; see <see cref="HistogramData.FromValues"/>.</summary>
internal static class HistogramBuckets
{
    private const int PairwiseBlock = 128;

    /// <summary>Bucket edges: −1e20…−1e-12, 0, 1e-12…1e20 in steps of ×1.1 (repeated multiplication, as the reference).</summary>
    internal static readonly double[] DefaultEdges = BuildEdges();

    public static HistogramData Compute(ReadOnlySpan<double> values, int? maxBins)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("A histogram needs at least one value.", nameof(values));
        }

        if (maxBins is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBins), maxBins, "maxBins must be at least 1.");
        }

        var edges = DefaultEdges;
        var counts = new double[edges.Length - 1];
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        double squares = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"Histogram value {i} is {v}; only finite values can be bucketed.", nameof(values));
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
            squares += v * v;
            if (v < edges[0] || v > edges[^1])
            {
                continue;
            }

            int index = Array.BinarySearch(edges, v);
            index = index >= 0 ? index : ~index - 1;
            counts[Math.Min(index, counts.Length - 1)]++;
        }

        var limits = edges;
        if (maxBins is int cap && counts.Length > cap)
        {
            int sub = counts.Length / cap;
            int merged = (counts.Length + sub - 1) / sub;
            var newCounts = new double[merged];
            var newLimits = new double[merged + 1];
            for (int i = 0; i < counts.Length; i++)
            {
                newCounts[i / sub] += counts[i];
            }

            for (int j = 0; j < merged; j++)
            {
                newLimits[j] = edges[j * sub];
            }

            newLimits[merged] = edges[^1];
            counts = newCounts;
            limits = newLimits;
        }

        int first = Array.FindIndex(counts, c => c > 0);
        if (first < 0)
        {
            throw new ArgumentException("Every histogram value lies beyond ±1e20, outside the buckets.", nameof(values));
        }

        int last = Array.FindLastIndex(counts, c => c > 0);
        int end = last + 1;
        double[] bucketCounts;
        if (first > 0)
        {
            bucketCounts = counts[(first - 1)..end];
        }
        else
        {
            bucketCounts = [0, .. counts.AsSpan(0, end)];
        }

        return new HistogramData
        {
            Min = min,
            Max = max,
            Count = values.Length,
            Sum = NumpySum(values),
            SumSquares = squares,
            BucketLimits = limits[first..(end + 1)],
            BucketCounts = bucketCounts,
        };
    }

    /// <summary>numpy's <c>sum</c> of a contiguous float64 vector (pairwise summation in blocks of 8), so sums match the reference bit for bit.</summary>
    internal static double NumpySum(ReadOnlySpan<double> values) => PairwiseSum(values);

    private static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double s = 0;
            foreach (double v in a)
            {
                s += v;
            }

            return s;
        }

        if (n <= PairwiseBlock)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
            {
                for (int j = 0; j < 8; j++)
                {
                    r[j] += a[i + j];
                }
            }

            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        int n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }

    private static double[] BuildEdges()
    {
        var positive = new List<double>();
        for (double v = 1e-12; v < 1e20; v *= 1.1)
        {
            positive.Add(v);
        }

        var edges = new double[positive.Count * 2 + 1];
        for (int i = 0; i < positive.Count; i++)
        {
            edges[positive.Count - 1 - i] = -positive[i];
            edges[positive.Count + 1 + i] = positive[i];
        }

        return edges;
    }
}
