namespace Stepwise.Hub.Contracts;

/// <summary>Body of an analytics upload (at most 100 events).</summary>
/// <param name="Events">The events.</param>
public sealed record EventsBatchRequest(IReadOnlyList<AnalyticsEvent> Events);
