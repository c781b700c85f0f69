namespace Stepwise.Hub.Server.Storage;

/// <summary>An API key row (the secret is only present as its hash).</summary>
internal sealed class KeyRow
{
    public string Id { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string Scope { get; init; } = string.Empty;

    public string? Project { get; init; }

    public string Hash { get; init; } = string.Empty;

    public long CreatedAt { get; init; }

    public long? RevokedAt { get; init; }
}
