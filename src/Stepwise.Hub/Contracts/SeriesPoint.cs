namespace Stepwise.Hub.Contracts;

/// <summary>One value of a metric series.</summary>
/// <param name="Step">The step.</param>
/// <param name="Epoch">The epoch, when known.</param>
/// <param name="Value">The value.</param>
public sealed record SeriesPoint(long Step, int? Epoch, double Value);
