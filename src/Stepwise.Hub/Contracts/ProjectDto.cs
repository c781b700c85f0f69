namespace Stepwise.Hub.Contracts;

/// <summary>A project: a named group of runs.</summary>
/// <param name="Name">The project's slug name.</param>
/// <param name="Description">Optional free text.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RunCount">How many runs it holds.</param>
public sealed record ProjectDto(string Name, string? Description, DateTimeOffset CreatedAt, long RunCount);
