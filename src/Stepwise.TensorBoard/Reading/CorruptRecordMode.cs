namespace Stepwise.TensorBoard.Reading;

/// <summary>What the reader does at a corrupt or truncated record (always reported in <see cref="EventFileReader.Problems"/>).</summary>
public enum CorruptRecordMode
{
    /// <summary>Stop reading the file there (TensorBoard's behaviour, but reported).</summary>
    Stop = 0,

    /// <summary>Scan forward to the next offset where a record with both checksums valid starts, and go on.</summary>
    Skip = 1,

    /// <summary>Throw an <see cref="EventFileCorruptException"/>.</summary>
    Throw = 2,
}
