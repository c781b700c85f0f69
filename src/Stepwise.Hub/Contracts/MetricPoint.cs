namespace Stepwise.Hub.Contracts;

/// <summary>Metric values logged at one step.</summary>
/// <param name="Step">The step (≥ 0).</param>
/// <param name="Epoch">The epoch, when known.</param>
/// <param name="Values">Metric name to finite value.</param>
public sealed record MetricPoint(long Step, int? Epoch, IReadOnlyDictionary<string, double> Values);
