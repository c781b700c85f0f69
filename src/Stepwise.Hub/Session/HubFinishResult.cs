namespace Stepwise.Hub.Session;

/// <summary>What <see cref="HubSession.FinishAsync"/> achieved.</summary>
/// <param name="Delivered">True when everything reached the server (nothing left in the spool).</param>
/// <param name="PendingInSpool">Items left in the spool, sent by the next session or <c>stepwise hub sync</c>.</param>
/// <param name="RunId">The server's run id, null if the run could not be created.</param>
public sealed record HubFinishResult(bool Delivered, int PendingInSpool, string? RunId);
