namespace Stepwise.Hub.Contracts;

/// <summary>A stored checkpoint.</summary>
/// <param name="Id">The checkpoint id.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Kind">Last, best or final.</param>
/// <param name="Epoch">The epoch, when given.</param>
/// <param name="Name">Display file name.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="CreatedAt">When it was recorded.</param>
/// <param name="MetricName">The metric the checkpoint was saved for, when given.</param>
/// <param name="MetricValue">That metric's value.</param>
public sealed record CheckpointDto(string Id, string RunId, CheckpointKind Kind, int? Epoch, string Name, long Size, string Sha256, DateTimeOffset CreatedAt, string? MetricName = null, double? MetricValue = null);
