using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Api;

namespace Stepwise.Hub.Server.Tests;

public sealed class DownsamplerTests
{
    private static List<SeriesPoint> Series(params double[] values) => [.. values.Select((v, i) => new SeriesPoint(i, null, v))];

    [Fact]
    public void A_series_within_the_limit_is_returned_unchanged()
    {
        var series = Series(1, 2, 3);
        Assert.Same(series, Downsampler.MinMax(series, 3));
    }

    [Fact]
    public void Each_bucket_keeps_its_lowest_and_highest_point_in_step_order_plus_both_ends()
    {
        // 2 + 2 buckets of 4 inner points each.
        var series = Series(5, 1, 9, 2, 3, 8, 0, 7, 6, 4);
        var reduced = Downsampler.MinMax(series, 6);
        Assert.Equal([0L, 1, 2, 5, 6, 9], reduced.Select(p => p.Step));
        Assert.Equal([5.0, 1, 9, 8, 0, 4], reduced.Select(p => p.Value));
    }

    [Fact]
    public void A_flat_bucket_contributes_one_point_and_tiny_limits_keep_the_ends()
    {
        var flat = Series(1, 1, 1, 1, 1, 1);
        Assert.Equal([0L, 1, 5], Downsampler.MinMax(flat, 4).Select(p => p.Step));
        Assert.Equal([0L, 4], Downsampler.MinMax(Series(1, 2, 3, 4, 5), 3).Select(p => p.Step));
    }
}
