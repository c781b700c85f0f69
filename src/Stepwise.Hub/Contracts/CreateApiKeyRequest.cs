namespace Stepwise.Hub.Contracts;

/// <summary>Body of a key creation.</summary>
/// <param name="Name">Display name.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="Project">The project (required for read and write keys; created if absent).</param>
public sealed record CreateApiKeyRequest(string Name, KeyScope Scope, string? Project = null);
