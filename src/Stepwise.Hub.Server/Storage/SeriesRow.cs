namespace Stepwise.Hub.Server.Storage;

/// <summary>A metric value as read back for a series.</summary>
internal sealed class SeriesRow
{
    public string Name { get; init; } = string.Empty;

    public long Step { get; init; }

    public long? Epoch { get; init; }

    public double Value { get; init; }
}
