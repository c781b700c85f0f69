using Stepwise.TensorBoard.Model;

namespace Stepwise.TensorBoard.Reading;

/// <summary>One decoded event record.</summary>
public sealed class TensorBoardEvent
{
    // Fields of the rarer event kinds live in one side object, so a scalar event stays small.
    private readonly EventDetails? _details;

    internal TensorBoardEvent(double wallTime, long step, EventKind kind, IReadOnlyList<SummaryValue> values, string filePath, long offset, EventDetails? details)
    {
        WallTime = wallTime;
        Step = step;
        Kind = kind;
        Values = values;
        FilePath = filePath;
        Offset = offset;
        _details = details;
    }

    /// <summary>Wall time, Unix seconds with fraction.</summary>
    public double WallTime { get; }

    /// <summary>Step (0 when absent).</summary>
    public long Step { get; }

    /// <summary>What the event carries.</summary>
    public EventKind Kind { get; }

    /// <summary>The summary values, for <see cref="EventKind.Summary"/> (empty otherwise).</summary>
    public IReadOnlyList<SummaryValue> Values { get; }

    /// <summary>The file the event came from.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the event's record in the file.</summary>
    public long Offset { get; }

    /// <summary>The file version string, for <see cref="EventKind.FileVersion"/>.</summary>
    public string? FileVersion => _details?.FileVersion;

    /// <summary>The graph, for <see cref="EventKind.Graph"/>.</summary>
    public GraphDefinition? Graph => _details?.Graph;

    /// <summary>The tag of tagged run metadata.</summary>
    public string? RunMetadataTag => _details?.RunMetadataTag;

    /// <summary>The device names listed in tagged run metadata (<c>step_stats.dev_stats.device</c>).</summary>
    public IReadOnlyList<string> RunMetadataDevices => _details?.RunMetadataDevices ?? [];

    /// <summary>The serialized run metadata, graph or meta graph bytes as stored (empty for other kinds).</summary>
    public byte[] RawPayload => _details?.RawPayload ?? [];

    /// <summary>The session log, for <see cref="EventKind.SessionLog"/>.</summary>
    public SessionLogEntry? SessionLog => _details?.SessionLog;

    /// <summary>The log message text, for <see cref="EventKind.LogMessage"/>.</summary>
    public string? LogMessage => _details?.LogMessage;

    /// <summary><c>source_metadata.writer</c>, empty when absent.</summary>
    public string SourceWriter => _details?.SourceWriter ?? string.Empty;

    /// <summary>Fields of the less frequent event kinds.</summary>
    internal sealed class EventDetails
    {
        public string? FileVersion { get; set; }

        public GraphDefinition? Graph { get; set; }

        public string? RunMetadataTag { get; set; }

        public IReadOnlyList<string>? RunMetadataDevices { get; set; }

        public byte[]? RawPayload { get; set; }

        public SessionLogEntry? SessionLog { get; set; }

        public string? LogMessage { get; set; }

        public string? SourceWriter { get; set; }
    }
}
