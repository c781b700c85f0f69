namespace Stepwise.Hub.Contracts;

/// <summary>Body of a heartbeat.</summary>
/// <param name="AgentId">Identifier of the training process.</param>
/// <param name="Host">Host name.</param>
public sealed record HeartbeatRequest(string? AgentId = null, string? Host = null);
