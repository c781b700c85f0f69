namespace Stepwise.Hub.Contracts;

/// <summary>Body of a run update.</summary>
/// <param name="Status">The new status (not <see cref="HubRunStatus.Stalled"/>).</param>
public sealed record UpdateRunRequest(HubRunStatus? Status = null);
