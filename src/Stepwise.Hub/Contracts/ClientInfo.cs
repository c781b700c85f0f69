namespace Stepwise.Hub.Contracts;

/// <summary>What sent a run: the client program and the machine.</summary>
/// <param name="Name">Client name (e.g. <c>stepwise</c>).</param>
/// <param name="Version">Client version.</param>
/// <param name="Host">Host name.</param>
/// <param name="Os">Operating system description.</param>
/// <param name="AgentId">Identifier of the training process.</param>
public sealed record ClientInfo(string? Name = null, string? Version = null, string? Host = null, string? Os = null, string? AgentId = null);
