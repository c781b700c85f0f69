namespace Stepwise.Hub.Contracts;

/// <summary>An image a run logged (a sample grid, a confusion matrix, a DVCLive image).</summary>
/// <param name="Name">The image name, possibly with folders (<c>samples/0.png</c>).</param>
/// <param name="Step">The step it was logged at.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="CreatedAt">When it was stored.</param>
public sealed record RunImageDto(string Name, long Step, long Size, string Sha256, DateTimeOffset CreatedAt);
