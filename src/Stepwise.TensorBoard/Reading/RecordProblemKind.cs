namespace Stepwise.TensorBoard.Reading;

/// <summary>What is wrong with a record.</summary>
public enum RecordProblemKind
{
    /// <summary>The file ends inside a record (a writer may still be appending it).</summary>
    Truncated = 0,

    /// <summary>The checksum of the length field does not match.</summary>
    LengthChecksum = 1,

    /// <summary>The checksum of the payload does not match.</summary>
    DataChecksum = 2,

    /// <summary>The payload passed its checksum but is not a valid <c>Event</c> message.</summary>
    Malformed = 3,
}
