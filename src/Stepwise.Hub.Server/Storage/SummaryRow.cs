namespace Stepwise.Hub.Server.Storage;

/// <summary>Per-series aggregate.</summary>
internal sealed class SummaryRow
{
    public string Name { get; init; } = string.Empty;

    public long Count { get; init; }

    public long LastStep { get; init; }

    public double Last { get; init; }

    public double Min { get; init; }

    public double Max { get; init; }
}
