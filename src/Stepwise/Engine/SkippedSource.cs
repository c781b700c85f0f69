namespace Stepwise.Engine;

/// <summary>An input the predictor could not read and skipped.</summary>
/// <param name="Path">The file (or source label).</param>
/// <param name="Reason">Why it was skipped.</param>
public sealed record SkippedSource(string Path, string Reason);
