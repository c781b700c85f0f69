namespace Stepwise.Hub.Contracts;

/// <summary>A run's metric series.</summary>
/// <param name="Series">The series, by name.</param>
public sealed record MetricsResponse(IReadOnlyList<MetricSeries> Series);
