namespace Stepwise.TensorBoard.Writing;

/// <summary>How an <see cref="EventFileWriter"/> names its file, buffers and flushes.</summary>
public sealed record EventFileWriterOptions
{
    /// <summary>
    /// Pending data is written and flushed to the operating system at this interval (the reference's
    /// <c>flush_secs</c>, 120 s). <see cref="Timeout.InfiniteTimeSpan"/> turns the periodic flush off;
    /// <see cref="EventFileWriter.Flush"/> and dispose still flush.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Most filled buffers waiting for the background writer (the reference's <c>max_queue</c>). When the
    /// queue is full, writing blocks the caller until the disk catches up, so memory stays bounded by
    /// about (<see cref="MaxQueue"/> + 2) × <see cref="BufferSize"/>, plus records larger than one buffer.
    /// </summary>
    public int MaxQueue { get; init; } = 16;

    /// <summary>Size of one buffer of framed records handed to the background writer (bytes, at least 4096).</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>Appended verbatim to the file name (the reference's <c>filename_suffix</c>), e.g. <c>.v2</c>.</summary>
    public string FileNameSuffix { get; init; } = string.Empty;

    /// <summary>Host name used in the file name; the machine's host name when null.</summary>
    public string? HostName { get; init; }

    /// <summary>The clock for the header's wall time, the file name and the periodic flush.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long dispose waits for the background writer to drain before reporting a timeout.</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        if (FlushInterval != Timeout.InfiniteTimeSpan && FlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FlushInterval), FlushInterval, "FlushInterval must be positive (or Timeout.InfiniteTimeSpan to turn the periodic flush off).");
        }

        if (MaxQueue < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueue), MaxQueue, "MaxQueue must be at least 1.");
        }

        if (BufferSize < 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferSize), BufferSize, "BufferSize must be at least 4096 bytes.");
        }

        ArgumentNullException.ThrowIfNull(FileNameSuffix, nameof(FileNameSuffix));
        ArgumentNullException.ThrowIfNull(Time, nameof(Time));
        if (FileNameSuffix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || FileNameSuffix.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"FileNameSuffix '{FileNameSuffix}' contains a character not allowed in file names.", nameof(FileNameSuffix));
        }
    }
}
