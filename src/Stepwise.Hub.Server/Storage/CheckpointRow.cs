namespace Stepwise.Hub.Server.Storage;

/// <summary>A checkpoint row.</summary>
internal sealed class CheckpointRow
{
    public string Id { get; init; } = string.Empty;

    public string RunId { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    public long? Epoch { get; init; }

    public string Name { get; init; } = string.Empty;

    public long Size { get; init; }

    public string Sha256 { get; init; } = string.Empty;

    public long CreatedAt { get; init; }

    public string? MetricName { get; init; }

    public double? MetricValue { get; init; }
}
