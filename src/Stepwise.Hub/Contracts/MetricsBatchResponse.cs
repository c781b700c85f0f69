namespace Stepwise.Hub.Contracts;

/// <summary>Answer to a metrics upload.</summary>
/// <param name="Received">How many values the batch held.</param>
/// <param name="StopRequested">True when someone asked the run to stop.</param>
/// <param name="StopReason">Why a stop was requested, when one was.</param>
public sealed record MetricsBatchResponse(int Received, bool StopRequested, string? StopReason = null);
