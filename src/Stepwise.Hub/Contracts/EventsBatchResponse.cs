namespace Stepwise.Hub.Contracts;

/// <summary>Answer to an analytics upload.</summary>
/// <param name="Received">How many events were stored.</param>
public sealed record EventsBatchResponse(int Received);
