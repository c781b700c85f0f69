using System.Text.Json;

namespace Stepwise.Hub.Contracts;

/// <summary>One opt-in usage event.</summary>
/// <param name="Name">Event name.</param>
/// <param name="Timestamp">When it happened (client clock).</param>
/// <param name="Properties">Extra properties.</param>
public sealed record AnalyticsEvent(string Name, DateTimeOffset? Timestamp = null, IReadOnlyDictionary<string, JsonElement>? Properties = null);
