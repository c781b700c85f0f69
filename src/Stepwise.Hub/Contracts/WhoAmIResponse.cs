namespace Stepwise.Hub.Contracts;

/// <summary>The calling key's identity.</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="Project">The project it is bound to (none for admin keys).</param>
public sealed record WhoAmIResponse(string KeyId, string Name, KeyScope Scope, string? Project);
