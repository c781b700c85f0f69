using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Api;

/// <summary>
/// Reduces a series for charts: the steps are cut into equal buckets and each bucket keeps its lowest
/// and highest value (in step order), so spikes survive; the first and last points are always kept.
/// </summary>
internal static class Downsampler
{
    /// <summary>Reduces <paramref name="points"/> to at most <paramref name="maxPoints"/> points.</summary>
    /// <param name="points">The series, ascending by step.</param>
    /// <param name="maxPoints">The most points wanted (at least 2).</param>
    /// <returns>The reduced series (the input when already small enough).</returns>
    public static IReadOnlyList<SeriesPoint> MinMax(IReadOnlyList<SeriesPoint> points, int maxPoints)
    {
        if (points.Count <= maxPoints)
        {
            return points;
        }

        maxPoints = Math.Max(maxPoints, 2);
        var result = new List<SeriesPoint>(maxPoints) { points[0] };
        var inner = points.Count - 2;
        var buckets = (maxPoints - 2) / 2;
        for (var b = 0; b < buckets; b++)
        {
            var start = 1 + (int)((long)inner * b / buckets);
            var end = 1 + (int)((long)inner * (b + 1) / buckets);
            if (start >= end)
            {
                continue;
            }

            var min = start;
            var max = start;
            for (var i = start + 1; i < end; i++)
            {
                if (points[i].Value < points[min].Value)
                {
                    min = i;
                }

                if (points[i].Value > points[max].Value)
                {
                    max = i;
                }
            }

            result.Add(points[Math.Min(min, max)]);
            if (min != max)
            {
                result.Add(points[Math.Max(min, max)]);
            }
        }

        result.Add(points[^1]);
        return result;
    }
}
