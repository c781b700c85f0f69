namespace Stepwise.Hub.Contracts;

/// <summary>One metric of a run over steps.</summary>
/// <param name="Name">The metric name.</param>
/// <param name="Points">The values by step, ascending.</param>
/// <param name="TotalPoints">How many values are stored.</param>
/// <param name="Downsampled">True when <paramref name="Points"/> holds fewer than <paramref name="TotalPoints"/>.</param>
public sealed record MetricSeries(string Name, IReadOnlyList<SeriesPoint> Points, long TotalPoints, bool Downsampled);
