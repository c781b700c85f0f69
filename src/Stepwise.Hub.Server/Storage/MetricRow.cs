namespace Stepwise.Hub.Server.Storage;

/// <summary>One stored metric value.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Name">The metric name.</param>
/// <param name="Step">The step.</param>
/// <param name="Epoch">The epoch, when known.</param>
/// <param name="Value">The value.</param>
internal readonly record struct MetricRow(string RunId, string Name, long Step, long? Epoch, double Value);
