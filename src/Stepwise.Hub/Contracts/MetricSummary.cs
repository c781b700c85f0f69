namespace Stepwise.Hub.Contracts;

/// <summary>Summary of one metric series.</summary>
/// <param name="Name">The metric name.</param>
/// <param name="Count">How many values.</param>
/// <param name="LastStep">The last step.</param>
/// <param name="Last">The value at the last step.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
public sealed record MetricSummary(string Name, long Count, long LastStep, double Last, double Min, double Max);
