namespace Stepwise.Hub.Spool;

/// <summary>One item waiting in the spool: an epoch's metrics or a checkpoint upload.</summary>
internal sealed class SpoolEntry
{
    /// <summary>Position in the spool; replays go in this order.</summary>
    public required long Seq { get; init; }

    /// <summary>Metrics or upload.</summary>
    public required SpoolEntryKind Kind { get; init; }

    /// <summary>The epoch (0-based); the metrics' step. Null for an upload without epoch.</summary>
    public int? Epoch { get; init; }

    /// <summary>Metric name → value (metrics only).</summary>
    public KeyValuePair<string, double>[] Values { get; init; } = [];

    /// <summary>Checkpoint kind on the wire: <c>last</c>, <c>best</c> or <c>final</c> (uploads only).</summary>
    public string? CheckpointKind { get; init; }

    /// <summary>Display name of the checkpoint, e.g. <c>last.safetensors</c> (uploads only).</summary>
    public string? Name { get; init; }

    /// <summary>The snapshot's path relative to the spool folder (uploads only).</summary>
    public string? File { get; init; }

    /// <summary>The snapshot's SHA-256, lower-case hex (uploads only).</summary>
    public string? Sha256 { get; init; }

    /// <summary>The snapshot's size in bytes (uploads only).</summary>
    public long Size { get; init; }

    /// <summary>The metric that goes with a final upload, e.g. <c>metrics/accuracy_top1</c>.</summary>
    public string? MetricName { get; init; }

    /// <summary>The metric's value.</summary>
    public double? MetricValue { get; init; }

    /// <summary>Bytes this entry holds in the spool (its snapshot file for uploads).</summary>
    public long Footprint => Kind == SpoolEntryKind.Upload ? Size : 0;
}
