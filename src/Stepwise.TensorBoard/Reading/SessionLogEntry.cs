namespace Stepwise.TensorBoard.Reading;

/// <summary>A decoded <c>SessionLog</c>.</summary>
/// <param name="Status">0 unspecified, 1 start, 2 stop, 3 checkpoint.</param>
/// <param name="CheckpointPath">Checkpoint path, empty when none.</param>
/// <param name="Message">Message, empty when none.</param>
public sealed record SessionLogEntry(int Status, string CheckpointPath, string Message);
