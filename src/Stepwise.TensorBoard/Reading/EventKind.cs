namespace Stepwise.TensorBoard.Reading;

/// <summary>What an <c>Event</c> carries (its <c>what</c> oneof).</summary>
public enum EventKind
{
    /// <summary>Nothing but wall time and step.</summary>
    Empty = 0,

    /// <summary><c>file_version</c>, e.g. <c>brain.Event:2</c> (the first record of a file).</summary>
    FileVersion = 1,

    /// <summary>A graph (<c>graph_def</c>).</summary>
    Graph = 2,

    /// <summary>A summary with one or more values.</summary>
    Summary = 3,

    /// <summary>A log message (deprecated).</summary>
    LogMessage = 4,

    /// <summary>A session log (start, stop, checkpoint).</summary>
    SessionLog = 5,

    /// <summary>Tagged run metadata (profiling).</summary>
    TaggedRunMetadata = 6,

    /// <summary>A meta graph.</summary>
    MetaGraph = 7,
}
