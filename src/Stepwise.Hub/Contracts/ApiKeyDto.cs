namespace Stepwise.Hub.Contracts;

/// <summary>An API key's public description (never its secret).</summary>
/// <param name="Id">The key id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="Project">The project it is bound to (none for admin keys).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record ApiKeyDto(string Id, string Name, KeyScope Scope, string? Project, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
