namespace Stepwise.Hub.Contracts;

/// <summary>Optional body of a stop request.</summary>
/// <param name="Reason">Why the run should stop (shown to the training client).</param>
public sealed record StopRunRequest(string? Reason = null);
