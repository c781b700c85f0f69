using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Stepwise.TensorBoard.Records;

namespace Stepwise.TensorBoard.Reading;

/// <summary>
/// Reads an event file record by record, lazily. Both checksums of every record are verified; a
/// corrupt or truncated record is reported with the file and byte offset in <see cref="Problems"/>
/// and, after <see cref="EventReaderOptions.OnCorruptRecord"/>, reading stops, skips to the next valid
/// record, or throws.
/// </summary>
public sealed class EventFileReader : IDisposable
{
    private readonly Stream _stream;
    private readonly EventReaderOptions _options;
    private readonly List<RecordProblem> _problems = [];
    private readonly TagCache _tags = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _resync;
    private bool _stopped;

    /// <summary>Opens an event file for reading (shared, so a live writer may keep appending).</summary>
    /// <param name="path">The event file.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public EventFileReader(string path, EventReaderOptions? options = null)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0), path, options)
    {
    }

    /// <summary>Reads event records from a stream.</summary>
    /// <param name="stream">The stream, positioned at the first record; disposed with the reader.</param>
    /// <param name="name">The name used in problems and events (a path).</param>
    /// <param name="options">Options; defaults when null.</param>
    public EventFileReader(Stream stream, string name, EventReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        _stream = stream;
        FilePath = name;
        _options = options ?? new EventReaderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BufferSize, 64, nameof(options));
        _buffer = new byte[_options.BufferSize];
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>Corrupt or truncated records found so far.</summary>
    public IReadOnlyList<RecordProblem> Problems => _problems;

    /// <summary>Byte offset of the next record to read.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Reads every event of one file.</summary>
    /// <param name="path">The event file.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>The events, read lazily.</returns>
    public static IEnumerable<TensorBoardEvent> ReadFile(string path, EventReaderOptions? options = null)
    {
        using var reader = new EventFileReader(path, options);
        foreach (var e in reader.ReadEvents())
        {
            yield return e;
        }
    }

    /// <summary>
    /// Reads every event of a run directory: the files in it whose name contains <c>tfevents</c>, in
    /// name order (as TensorBoard does); sub-directories are other runs and are not read.
    /// </summary>
    /// <param name="runDirectory">The run directory.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>The events, read lazily.</returns>
    public static IEnumerable<TensorBoardEvent> ReadRun(string runDirectory, EventReaderOptions? options = null)
    {
        foreach (string file in EventDirectory.EventFiles(runDirectory))
        {
            foreach (var e in ReadFile(file, options))
            {
                yield return e;
            }
        }
    }

    /// <summary>Reads and decodes the next event.</summary>
    /// <param name="result">The event.</param>
    /// <returns>False at the end of the file, or after a problem in <see cref="CorruptRecordMode.Stop"/> mode.</returns>
    /// <exception cref="EventFileCorruptException">A bad record in <see cref="CorruptRecordMode.Throw"/> mode.</exception>
    public bool TryReadEvent([NotNullWhen(true)] out TensorBoardEvent? result)
    {
        while (NextRecord(out int start, out int length, out long offset))
        {
            try
            {
                result = EventDecoder.Decode(_buffer.AsSpan(start, length), FilePath, offset, _tags);
                return true;
            }
            catch (InvalidDataException ex)
            {
                if (!Malformed(offset, ex))
                {
                    break;
                }
            }
        }

        result = null;
        return false;
    }

    /// <summary>Reads and decodes the remaining events.</summary>
    /// <returns>The events, read lazily.</returns>
    public IEnumerable<TensorBoardEvent> ReadEvents()
    {
        while (TryReadEvent(out var e))
        {
            yield return e;
        }
    }

    /// <summary>
    /// Reads only the scalars of the remaining events (<c>simple_value</c> and <c>scalars</c>-plugin
    /// tensors), decoding nothing else; the fast path for exports and charts.
    /// </summary>
    /// <returns>The scalars, read lazily.</returns>
    public IEnumerable<ScalarPoint> ReadScalars()
    {
        while (true)
        {
            ScalarPoint point;
            List<ScalarPoint>? several;
            if (!TryReadScalarRecord(out point, out several))
            {
                yield break;
            }

            if (several is null)
            {
                yield return point;
                continue;
            }

            foreach (var p in several)
            {
                yield return p;
            }
        }
    }

    /// <summary>Reads the next record's payload (checksums verified, not decoded).</summary>
    /// <param name="payload">The serialized event; valid until the next read.</param>
    /// <param name="offset">The record's byte offset.</param>
    /// <returns>False at the end of the file or after a problem in stop mode.</returns>
    public bool TryReadRecord(out ReadOnlySpan<byte> payload, out long offset)
    {
        if (NextRecord(out int start, out int length, out offset))
        {
            payload = _buffer.AsSpan(start, length);
            return true;
        }

        payload = default;
        return false;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private bool TryReadScalarRecord(out ScalarPoint point, out List<ScalarPoint>? several)
    {
        several = null;
        while (NextRecord(out int start, out int length, out long offset))
        {
            var payload = _buffer.AsSpan(start, length);
            try
            {
                if (EventDecoder.TryDecodeScalar(payload, _tags, out point, out bool multi))
                {
                    return true;
                }

                if (multi)
                {
                    var e = EventDecoder.Decode(payload, FilePath, offset, _tags);
                    several = [.. e.Values.Where(v => v.Kind == SummaryValueKind.Scalar).Select(v => new ScalarPoint(v.Tag, e.Step, e.WallTime, v.Scalar))];
                    point = default;
                    return true;
                }
            }
            catch (InvalidDataException ex)
            {
                if (!Malformed(offset, ex))
                {
                    break;
                }
            }
        }

        point = default;
        return false;
    }

    private bool NextRecord(out int payloadStart, out int payloadLength, out long recordOffset)
    {
        payloadStart = 0;
        payloadLength = 0;
        recordOffset = 0;
        while (!_stopped)
        {
            if (!Ensure(12))
            {
                int left = _end - _start;
                if (left > 0 && !_resync)
                {
                    Report(RecordProblemKind.Truncated, $"the file ends {left} bytes into a 12-byte record header");
                }

                _stopped = true;
                return false;
            }

            var span = _buffer.AsSpan(_start);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(span);
            uint storedLengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            uint lengthCrc = Crc32C.MaskedOfLength(length);
            if (lengthCrc != storedLengthCrc)
            {
                if (!Problem(RecordProblemKind.LengthChecksum, string.Create(CultureInfo.InvariantCulture,
                    $"length checksum mismatch (stored 0x{storedLengthCrc:x8}, computed 0x{lengthCrc:x8})")))
                {
                    return false;
                }

                continue;
            }

            if (length > (ulong)(Array.MaxLength - 16))
            {
                if (!Problem(RecordProblemKind.Malformed, $"record length {length} is larger than any record this reader accepts"))
                {
                    return false;
                }

                continue;
            }

            int payload = (int)length;
            int total = payload + 16;
            if (!Ensure(total))
            {
                if (_options.OnCorruptRecord == CorruptRecordMode.Skip && _end - _start > 1)
                {
                    // A header that only looked valid while resynchronising, or a cut-off tail: keep scanning.
                    if (!_resync)
                    {
                        Report(RecordProblemKind.Truncated, $"the file ends {_end - _start} bytes into a record of {total} bytes");
                    }

                    _resync = true;
                    _start++;
                    continue;
                }

                if (!_resync)
                {
                    Report(RecordProblemKind.Truncated, $"the file ends {_end - _start} bytes into a record of {total} bytes");
                }

                _stopped = true;
                return false;
            }

            span = _buffer.AsSpan(_start, total);
            uint storedDataCrc = BinaryPrimitives.ReadUInt32LittleEndian(span[(12 + payload)..]);
            uint dataCrc = Crc32C.ComputeMasked(span.Slice(12, payload));
            if (dataCrc != storedDataCrc)
            {
                if (!Problem(RecordProblemKind.DataChecksum, string.Create(CultureInfo.InvariantCulture,
                    $"data checksum mismatch in a record of {payload} bytes (stored 0x{storedDataCrc:x8}, computed 0x{dataCrc:x8})")))
                {
                    return false;
                }

                continue;
            }

            recordOffset = Position;
            payloadStart = _start + 12;
            payloadLength = payload;
            _start += total;
            _resync = false;
            return true;
        }

        return false;
    }

    /// <summary>Handles a bad record at the current position; returns true when reading goes on (skip mode).</summary>
    private bool Problem(RecordProblemKind kind, string message)
    {
        if (_resync)
        {
            _start++;
            return true;
        }

        var problem = Report(kind, message);
        switch (_options.OnCorruptRecord)
        {
            case CorruptRecordMode.Skip:
                _resync = true;
                _start++;
                return true;
            case CorruptRecordMode.Throw:
                _stopped = true;
                throw new EventFileCorruptException(problem);
            default:
                _stopped = true;
                return false;
        }
    }

    private bool Malformed(long offset, InvalidDataException ex)
    {
        var problem = new RecordProblem(FilePath, offset, RecordProblemKind.Malformed, "the payload is not a valid Event: " + ex.Message);
        _problems.Add(problem);
        switch (_options.OnCorruptRecord)
        {
            case CorruptRecordMode.Skip:
                return true;
            case CorruptRecordMode.Throw:
                _stopped = true;
                throw new EventFileCorruptException(problem);
            default:
                _stopped = true;
                return false;
        }
    }

    private RecordProblem Report(RecordProblemKind kind, string message)
    {
        var problem = new RecordProblem(FilePath, Position, kind, message);
        _problems.Add(problem);
        return problem;
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available; false when the file ends first.</summary>
    private bool Ensure(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }

        if (count > _buffer.Length)
        {
            if (_stream.CanSeek && _bufferOffset + count > _stream.Length)
            {
                // The claimed record runs past the end of the file: do not allocate for it.
                return false;
            }

            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)count, (long)_buffer.Length * 2)));
        }

        while (_end < count)
        {
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
