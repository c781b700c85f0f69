namespace Stepwise.Hub.Contracts;

/// <summary>Body of a project creation.</summary>
/// <param name="Name">The slug name (<c>[a-z0-9][a-z0-9._-]{0,63}</c>).</param>
/// <param name="Description">Optional free text.</param>
public sealed record CreateProjectRequest(string Name, string? Description = null);
