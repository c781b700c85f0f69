namespace Stepwise.TensorBoard.Reading;

/// <summary>Options of an <see cref="EventFileReader"/>.</summary>
public sealed record EventReaderOptions
{
    /// <summary>What to do at a corrupt or truncated record; it is always recorded in <see cref="EventFileReader.Problems"/>.</summary>
    public CorruptRecordMode OnCorruptRecord { get; init; } = CorruptRecordMode.Stop;

    /// <summary>Read buffer size in bytes (grows for larger records).</summary>
    public int BufferSize { get; init; } = 1 << 20;
}
