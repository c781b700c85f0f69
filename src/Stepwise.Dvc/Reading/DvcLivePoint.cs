namespace Stepwise.Dvc.Reading;

/// <summary>One row of a DVCLive metric TSV.</summary>
/// <param name="Step">The <c>step</c> column.</param>
/// <param name="Value">The value; NaN or ±infinity where the file says <c>nan</c>/<c>inf</c>/<c>-inf</c>.</param>
/// <param name="Timestamp">The <c>timestamp</c> column (Unix milliseconds) when the metric was logged with one.</param>
public readonly record struct DvcLivePoint(long Step, double Value, long? Timestamp);
