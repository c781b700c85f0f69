namespace Stepwise.Hub.Server.Storage;

/// <summary>A project row.</summary>
internal sealed class ProjectRow
{
    public string Name { get; init; } = string.Empty;

    public string? Description { get; init; }

    public long CreatedAt { get; init; }

    public long RunCount { get; init; }
}
