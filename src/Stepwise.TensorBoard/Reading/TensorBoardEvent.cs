using Stepwise.TensorBoard.Model;

namespace Stepwise.TensorBoard.Reading;

/// <summary>One decoded event record.</summary>
public sealed class TensorBoardEvent
{
    /// <summary>Wall time, Unix seconds with fraction.</summary>
    public double WallTime { get; init; }

    /// <summary>Step (0 when absent).</summary>
    public long Step { get; init; }

    /// <summary>What the event carries.</summary>
    public EventKind Kind { get; init; }

    /// <summary>The file version string, for <see cref="EventKind.FileVersion"/>.</summary>
    public string? FileVersion { get; init; }

    /// <summary>The summary values, for <see cref="EventKind.Summary"/> (empty otherwise).</summary>
    public IReadOnlyList<SummaryValue> Values { get; init; } = [];

    /// <summary>The graph, for <see cref="EventKind.Graph"/>.</summary>
    public GraphDefinition? Graph { get; init; }

    /// <summary>The tag of tagged run metadata.</summary>
    public string? RunMetadataTag { get; init; }

    /// <summary>The device names listed in tagged run metadata (<c>step_stats.dev_stats.device</c>).</summary>
    public IReadOnlyList<string> RunMetadataDevices { get; init; } = [];

    /// <summary>The serialized run metadata, graph or meta graph bytes as stored.</summary>
    public byte[] RawPayload { get; init; } = [];

    /// <summary>The session log, for <see cref="EventKind.SessionLog"/>.</summary>
    public SessionLogEntry? SessionLog { get; init; }

    /// <summary>The log message text, for <see cref="EventKind.LogMessage"/>.</summary>
    public string? LogMessage { get; init; }

    /// <summary><c>source_metadata.writer</c>, empty when absent.</summary>
    public string SourceWriter { get; init; } = string.Empty;

    /// <summary>The file the event came from.</summary>
    public string FilePath { get; init; } = string.Empty;

    /// <summary>Byte offset of the event's record in the file.</summary>
    public long Offset { get; init; }
}
