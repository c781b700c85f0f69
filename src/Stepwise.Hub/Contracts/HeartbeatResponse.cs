namespace Stepwise.Hub.Contracts;

/// <summary>Answer to a heartbeat.</summary>
/// <param name="Status">The run's status.</param>
/// <param name="StopRequested">True when someone asked the run to stop.</param>
/// <param name="ServerTime">The server's clock.</param>
/// <param name="StopReason">Why a stop was requested, when one was.</param>
public sealed record HeartbeatResponse(HubRunStatus Status, bool StopRequested, DateTimeOffset ServerTime, string? StopReason = null);
