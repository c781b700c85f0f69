namespace Stepwise.Hub.Contracts;

/// <summary>Body of a metrics upload. Idempotent: a (run, step, name) already stored is ignored.</summary>
/// <param name="Points">The steps and their values.</param>
public sealed record MetricsBatchRequest(IReadOnlyList<MetricPoint> Points);
