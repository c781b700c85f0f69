namespace Stepwise.Hub.Contracts;

/// <summary>The best value of a run's primary metric.</summary>
/// <param name="Name">The metric name.</param>
/// <param name="Value">The best value.</param>
/// <param name="Step">The step it was logged at.</param>
public sealed record BestMetric(string Name, double Value, long Step);
