namespace Stepwise.Hub.Contracts;

/// <summary>Answer to a metrics upload.</summary>
/// <param name="Received">How many values the batch held.</param>
/// <param name="StopRequested">True when someone asked the run to stop.</param>
public sealed record MetricsBatchResponse(int Received, bool StopRequested);
