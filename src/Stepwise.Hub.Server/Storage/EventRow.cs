namespace Stepwise.Hub.Server.Storage;

/// <summary>An analytics event row.</summary>
internal sealed class EventRow
{
    public string Id { get; init; } = string.Empty;

    public string KeyId { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public long? OccurredAt { get; init; }

    public long ReceivedAt { get; init; }

    public string? Properties { get; init; }
}
