using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Stepwise.TensorBoard.Records;

namespace Stepwise.TensorBoard.Writing;

/// <summary>
/// Appends TFRecord-framed <c>Event</c> records to one new event file
/// (<c>events.out.tfevents.&lt;seconds&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;n&gt;&lt;suffix&gt;</c>). The first record is
/// <c>brain.Event:2</c> with the current wall time, written and flushed by the constructor. Later
/// records are framed on the calling thread into a buffer that a background thread writes, through a
/// bounded queue; <see cref="Flush"/>, the periodic flush and dispose push them to the operating system.
/// Safe to use from several threads. A write failure is kept and thrown by the next call and by dispose.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    private static int _counter = -1;

    private readonly Lock _lock = new();
    private readonly BlockingCollection<WorkItem> _queue;
    private readonly ConcurrentQueue<byte[]> _pool = new();
    private readonly Stream _stream;
    private readonly Thread _thread;
    private readonly ITimer? _timer;
    private readonly EventFileWriterOptions _options;
    private byte[] _buffer;
    private int _used;
    private bool _dirty;
    private bool _disposed;
    private volatile Exception? _failure;
    private long _records;

    /// <summary>Creates the log directory if needed, opens a new event file in it and writes the header record.</summary>
    /// <param name="logDir">The run directory.</param>
    /// <param name="options">Naming, buffering and flushing; defaults when null.</param>
    /// <exception cref="IOException">The file cannot be created or the header cannot be written.</exception>
    public EventFileWriter(string logDir, EventFileWriterOptions? options = null)
        : this(logDir, options, null)
    {
    }

    internal EventFileWriter(string logDir, EventFileWriterOptions? options, Func<string, Stream>? openStream)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDir);
        _options = options ?? new EventFileWriterOptions();
        _options.Validate();
        LogDir = Path.GetFullPath(logDir);
        Directory.CreateDirectory(LogDir);
        var now = _options.Time.GetUtcNow();
        string host = _options.HostName ?? HostName();
        string seconds = now.ToUnixTimeSeconds().ToString("D10", CultureInfo.InvariantCulture);
        int pid = Environment.ProcessId;
        while (true)
        {
            int n = Interlocked.Increment(ref _counter);
            string path = Path.Combine(LogDir, $"events.out.tfevents.{seconds}.{host}.{pid}.{n.ToString(CultureInfo.InvariantCulture)}{_options.FileNameSuffix}");
            if (File.Exists(path))
            {
                continue;
            }

            try
            {
                _stream = openStream is null
                    ? new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0)
                    : openStream(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                continue;
            }

            FilePath = path;
            break;
        }

        _buffer = new byte[_options.BufferSize];
        var header = EventEncoder.FileVersion(UnixSeconds(now));
        int size = Frame(header, _buffer, 0);
        try
        {
            _stream.Write(_buffer, 0, size);
            _stream.Flush();
        }
        catch
        {
            _stream.Dispose();
            throw;
        }

        _records = 1;
        _queue = new BlockingCollection<WorkItem>(new ConcurrentQueue<WorkItem>(), _options.MaxQueue);
        _thread = new Thread(Run) { IsBackground = true, Name = "tfevents writer" };
        _thread.Start();
        if (_options.FlushInterval != Timeout.InfiniteTimeSpan)
        {
            _timer = _options.Time.CreateTimer(_ => PeriodicFlush(), null, _options.FlushInterval, _options.FlushInterval);
        }
    }

    /// <summary>The run directory (absolute).</summary>
    public string LogDir { get; }

    /// <summary>The event file's absolute path.</summary>
    public string FilePath { get; }

    /// <summary>Records accepted so far, the header included.</summary>
    public long RecordsWritten => Interlocked.Read(ref _records);

    /// <summary>The clock this writer stamps events with.</summary>
    public TimeProvider Time => _options.Time;

    /// <summary>The current wall time as Unix seconds with a fraction, as events carry it.</summary>
    /// <returns>Seconds since 1970-01-01 UTC.</returns>
    public double Now() => UnixSeconds(_options.Time.GetUtcNow());

    /// <summary>Appends one record whose payload is a serialized <c>Event</c> message.</summary>
    /// <param name="eventPayload">The serialized event.</param>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="IOException">An earlier background write failed.</exception>
    public void WriteEvent(ReadOnlySpan<byte> eventPayload)
    {
        ThrowIfFailed();
        uint dataCrc = Crc32C.ComputeMasked(eventPayload);
        uint lengthCrc = Crc32C.MaskedOfLength((ulong)eventPayload.Length);
        int size = eventPayload.Length + 16;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (size > _buffer.Length - _used)
            {
                EnqueueBuffer();
                if (size > _buffer.Length)
                {
                    var own = new byte[size];
                    Frame(eventPayload, own, 0, lengthCrc, dataCrc);
                    _queue.Add(new WorkItem(WorkKind.Data, own, size, null, pooled: false));
                    _records++;
                    return;
                }
            }

            Frame(eventPayload, _buffer, _used, lengthCrc, dataCrc);
            _used += size;
            _records++;
        }
    }

    /// <summary>
    /// Writes everything accepted so far and flushes it to the operating system, then returns. A live
    /// TensorBoard sees the data after this.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="IOException">A background write failed.</exception>
    public void Flush()
    {
        ThrowIfFailed();
        using var done = new ManualResetEventSlim();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EnqueueBuffer();
            _queue.Add(new WorkItem(WorkKind.Flush, null, 0, done, pooled: false));
            _dirty = false;
        }

        done.Wait();
        ThrowIfFailed();
    }

    /// <summary>Flushes, stops the background writer and closes the file. Reports a write failure that happened before.</summary>
    /// <exception cref="IOException">A background write failed (everything written before the failure stays on disk).</exception>
    /// <exception cref="TimeoutException">The background writer did not finish within <see cref="EventFileWriterOptions.DisposeTimeout"/>.</exception>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            EnqueueBuffer();
            _queue.Add(new WorkItem(WorkKind.Close, null, 0, null, pooled: false));
            _queue.CompleteAdding();
        }

        _timer?.Dispose();
        if (!_thread.Join(_options.DisposeTimeout))
        {
            throw new TimeoutException($"{FilePath}: the background writer did not finish within {_options.DisposeTimeout.TotalSeconds:0.#} s.");
        }

        _queue.Dispose();
        if (_failure is { } failure)
        {
            throw Failed(failure);
        }
    }

    /// <summary>Buffers waiting in the queue for the background writer.</summary>
    internal int QueuedBuffers => _queue.Count;

    /// <summary>Waits until the background writer has handled everything queued so far, without flushing.</summary>
    internal void WaitForBackground()
    {
        using var done = new ManualResetEventSlim();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(new WorkItem(WorkKind.Barrier, null, 0, done, pooled: false));
        }

        done.Wait();
    }

    internal static double UnixSeconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    internal static int Frame(ReadOnlySpan<byte> payload, byte[] destination, int offset) =>
        Frame(payload, destination, offset, Crc32C.MaskedOfLength((ulong)payload.Length), Crc32C.ComputeMasked(payload));

    private static int Frame(ReadOnlySpan<byte> payload, byte[] destination, int offset, uint lengthCrc, uint dataCrc)
    {
        var span = destination.AsSpan(offset);
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], lengthCrc);
        payload.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(12 + payload.Length)..], dataCrc);
        return payload.Length + 16;
    }

    private static string HostName()
    {
        try
        {
            string name = Dns.GetHostName();
            return string.IsNullOrWhiteSpace(name) ? "localhost" : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return Environment.MachineName;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw Failed(failure);
        }
    }

    private IOException Failed(Exception failure) => new($"{FilePath}: writing the event file failed: {failure.Message}", failure);

    // Caller holds _lock.
    private void EnqueueBuffer()
    {
        if (_used == 0)
        {
            return;
        }

        _queue.Add(new WorkItem(WorkKind.Data, _buffer, _used, null, pooled: true));
        _dirty = true;
        _buffer = _pool.TryDequeue(out var recycled) ? recycled : new byte[_options.BufferSize];
        _used = 0;
    }

    private void PeriodicFlush()
    {
        lock (_lock)
        {
            if (_disposed || (_used == 0 && !_dirty))
            {
                return;
            }

            EnqueueBuffer();
            _queue.Add(new WorkItem(WorkKind.Flush, null, 0, null, pooled: false));
            _dirty = false;
        }
    }

    private void Run()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null)
                {
                    switch (item.Kind)
                    {
                        case WorkKind.Data:
                            _stream.Write(item.Buffer!, 0, item.Length);
                            break;
                        case WorkKind.Flush:
                            _stream.Flush();
                            break;
                        case WorkKind.Close:
                            _stream.Flush();
                            _stream.Dispose();
                            break;
                    }
                }
                else if (item.Kind == WorkKind.Close)
                {
                    _stream.Dispose();
                }
            }
            catch (Exception ex)
            {
                _failure ??= ex;
                if (item.Kind == WorkKind.Close)
                {
                    try
                    {
                        _stream.Dispose();
                    }
                    catch (Exception)
                    {
                        // The first failure is the one reported.
                    }
                }
            }
            finally
            {
                if (item.Pooled && _pool.Count < _options.MaxQueue)
                {
                    _pool.Enqueue(item.Buffer!);
                }

                item.Done?.Set();
            }

            if (item.Kind == WorkKind.Close)
            {
                return;
            }
        }
    }

    private enum WorkKind
    {
        Data,
        Flush,
        Barrier,
        Close,
    }

    private readonly struct WorkItem(WorkKind kind, byte[]? buffer, int length, ManualResetEventSlim? done, bool pooled)
    {
        public WorkKind Kind { get; } = kind;

        public byte[]? Buffer { get; } = buffer;

        public int Length { get; } = length;

        public ManualResetEventSlim? Done { get; } = done;

        public bool Pooled { get; } = pooled;
    }
}
