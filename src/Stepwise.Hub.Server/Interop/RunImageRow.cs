namespace Stepwise.Hub.Server.Interop;

/// <summary>A stored image of a run: its name, step and blob.</summary>
internal sealed class RunImageRow
{
    public string RunId { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public long Step { get; init; }

    public string Sha256 { get; init; } = string.Empty;

    public long Size { get; init; }

    public long CreatedAt { get; init; }
}
