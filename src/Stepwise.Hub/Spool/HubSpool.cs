using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Stepwise.Hub.Spool;

/// <summary>
/// The durable, bounded on-disk spool of a run: an append-only journal (<c>journal.jsonl</c>, one JSON
/// record per line) of metrics and checkpoint uploads waiting for the server, plus the checkpoint
/// snapshots (<c>files/</c>). Items are acknowledged once the server has them; whatever is not
/// acknowledged when the process ends (or is killed) is replayed, in order, by the next session.
/// </summary>
/// <remarks>
/// Records are written to the operating system as they are appended (a killed process loses none);
/// a torn last line from a crash is ignored and cut off on open. When the spool grows past its
/// bound, the oldest checkpoint uploads are dropped first and metrics last, with a warning.
/// Thread-safe: every member takes one lock.
/// </remarks>
internal sealed class HubSpool : IDisposable
{
    /// <summary>The journal's file name inside the spool folder.</summary>
    public const string JournalName = "journal.jsonl";

    /// <summary>The snapshots' folder name inside the spool folder.</summary>
    public const string FilesName = "files";

    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly SortedDictionary<long, SpoolEntry> _pending = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private FileStream _journal;
    private long _nextSeq = 1;
    private long _bytes;
    private long _journalGarbage;
    private bool _disposed;

    private HubSpool(string directory, long limitBytes, ILogger logger)
    {
        Directory = directory;
        LimitBytes = limitBytes;
        _logger = logger;
        System.IO.Directory.CreateDirectory(Path.Combine(directory, FilesName));
        _journal = Recover();
    }

    /// <summary>The spool folder.</summary>
    public string Directory { get; }

    /// <summary>The bound in bytes (journal plus snapshots).</summary>
    public long LimitBytes { get; }

    /// <summary>The run the spool belongs to (null for a new spool).</summary>
    public SpoolRun? Run { get; private set; }

    /// <summary>Bytes used: journal plus snapshots.</summary>
    public long SizeBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes + _journal.Length;
            }
        }
    }

    /// <summary>Entries not yet acknowledged, oldest first.</summary>
    public IReadOnlyList<SpoolEntry> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending.Values];
            }
        }
    }

    /// <summary>Number of entries not yet acknowledged.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Entries dropped because of the bound since the spool was opened.</summary>
    public int DroppedCount { get; private set; }

    /// <summary>Opens (or creates) a spool folder and reads back what an earlier session left in it.</summary>
    /// <param name="directory">The folder, e.g. <c>&lt;run&gt;/hub-spool</c>.</param>
    /// <param name="limitBytes">The bound in bytes.</param>
    /// <param name="logger">Where dropped items and recoveries are reported.</param>
    /// <returns>The spool.</returns>
    /// <exception cref="IOException">The folder cannot be created or the journal cannot be opened.</exception>
    public static HubSpool Open(string directory, long limitBytes, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(limitBytes, 1024);
        return new HubSpool(Path.GetFullPath(directory), limitBytes, logger);
    }

    /// <summary>Records which run the spool belongs to (again when the server's run id becomes known).</summary>
    /// <param name="run">The run.</param>
    public void SetRun(SpoolRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            if (Run == run)
            {
                return;
            }

            if (Run is not null)
            {
                _journalGarbage += 1;
            }

            Run = run;
            WriteRecord(w => WriteRun(w, run));
        }
    }

    /// <summary>Appends an epoch's metrics.</summary>
    /// <param name="epoch">The epoch (0-based), the metrics' step.</param>
    /// <param name="values">Name → value; non-finite values must already be removed.</param>
    /// <returns>The entry.</returns>
    public SpoolEntry AppendMetrics(int epoch, KeyValuePair<string, double>[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        lock (_gate)
        {
            ThrowIfDisposed();
            var entry = new SpoolEntry { Seq = _nextSeq++, Kind = SpoolEntryKind.Metrics, Epoch = epoch, Values = values };
            WriteRecord(w => WriteEntry(w, entry));
            _pending.Add(entry.Seq, entry);
            EnforceLimit();
            return entry;
        }
    }

    /// <summary>
    /// Snapshots a checkpoint into the spool (copying it and hashing it in one pass) and appends its
    /// upload. Later changes to the source file do not change what is uploaded.
    /// </summary>
    /// <param name="source">The checkpoint file as it is now.</param>
    /// <param name="checkpointKind"><c>last</c>, <c>best</c> or <c>final</c>.</param>
    /// <param name="name">Display name, e.g. <c>best.safetensors</c>.</param>
    /// <param name="epoch">The epoch the checkpoint belongs to.</param>
    /// <param name="metricName">The metric that goes with it (final upload).</param>
    /// <param name="metricValue">The metric's value.</param>
    /// <returns>The entry, or null when the snapshot alone is larger than the spool's bound (warned).</returns>
    /// <exception cref="IOException">The source cannot be read or the snapshot written.</exception>
    public SpoolEntry? AppendUpload(string source, string checkpointKind, string name, int? epoch, string? metricName = null, double? metricValue = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        lock (_gate)
        {
            ThrowIfDisposed();
            long seq = _nextSeq++;
            string relative = Path.Combine(FilesName, seq.ToString("D8", CultureInfo.InvariantCulture) + "-" + Path.GetFileName(name));
            string target = Path.Combine(Directory, relative);
            var (size, sha) = CopyAndHash(source, target);
            if (size + _journal.Length > LimitBytes)
            {
                File.Delete(target);
                DroppedCount++;
                _logger.LogWarning("hub: the {Kind} checkpoint {Source} ({Size} bytes) is larger than the spool's bound ({Limit} bytes); it is not uploaded.", checkpointKind, source, size, LimitBytes);
                return null;
            }

            var entry = new SpoolEntry
            {
                Seq = seq,
                Kind = SpoolEntryKind.Upload,
                Epoch = epoch,
                CheckpointKind = checkpointKind,
                Name = Path.GetFileName(name),
                File = relative.Replace('\\', '/'),
                Sha256 = sha,
                Size = size,
                MetricName = metricName,
                MetricValue = metricValue,
            };
            WriteRecord(w => WriteEntry(w, entry));
            _pending.Add(seq, entry);
            _bytes += size;
            EnforceLimit();
            return entry;
        }
    }

    /// <summary>The full path of an upload's snapshot.</summary>
    /// <param name="entry">An upload entry.</param>
    /// <returns>The path.</returns>
    public string PathOf(SpoolEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Path.Combine(Directory, entry.File ?? throw new ArgumentException("Not an upload entry.", nameof(entry)));
    }

    /// <summary>Acknowledges entries: the server has them. Their snapshots are deleted.</summary>
    /// <param name="entries">The entries.</param>
    public void Complete(IEnumerable<SpoolEntry> entries) => Remove(entries, "done", reason: null);

    /// <summary>Drops entries the server refused for good (with the reason in the journal).</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="reason">Why.</param>
    public void Drop(IEnumerable<SpoolEntry> entries, string reason) => Remove(entries, "drop", reason);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _journal.Dispose();
        }
    }

    private void Remove(IEnumerable<SpoolEntry> entries, string op, string? reason)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            ThrowIfDisposed();
            var removed = new List<SpoolEntry>();
            foreach (var entry in entries)
            {
                if (_pending.Remove(entry.Seq))
                {
                    removed.Add(entry);
                }
            }

            if (removed.Count == 0)
            {
                return;
            }

            WriteRecord(w =>
            {
                w.WriteStartObject();
                w.WriteString("op", op);
                w.WriteStartArray("seqs");
                foreach (var entry in removed)
                {
                    w.WriteNumberValue(entry.Seq);
                }

                w.WriteEndArray();
                if (reason is not null)
                {
                    w.WriteString("reason", reason);
                }

                w.WriteEndObject();
            });
            foreach (var entry in removed)
            {
                DeleteSnapshot(entry);
            }

            _journalGarbage += removed.Count * 2;
            CompactIfWorthIt();
        }
    }

    private void DeleteSnapshot(SpoolEntry entry)
    {
        if (entry.Kind != SpoolEntryKind.Upload)
        {
            return;
        }

        _bytes -= entry.Size;
        try
        {
            File.Delete(PathOf(entry));
        }
        catch (IOException ex)
        {
            _logger.LogWarning("hub: could not delete the spooled snapshot {File}: {Message}", entry.File, ex.Message);
        }
    }

    private void EnforceLimit()
    {
        if (_bytes + _journal.Length <= LimitBytes)
        {
            return;
        }

        CompactIfWorthIt(force: true);
        var dropped = new List<SpoolEntry>();
        foreach (var kind in new[] { SpoolEntryKind.Upload, SpoolEntryKind.Metrics })
        {
            foreach (var entry in _pending.Values.Where(e => e.Kind == kind).ToList())
            {
                if (_bytes + _journal.Length - Savings(dropped) <= LimitBytes * 9 / 10)
                {
                    break;
                }

                dropped.Add(entry);
            }
        }

        if (dropped.Count == 0)
        {
            return;
        }

        int uploads = dropped.Count(e => e.Kind == SpoolEntryKind.Upload);
        int metrics = dropped.Count - uploads;
        DroppedCount += dropped.Count;
        _logger.LogWarning(
            "hub: the spool in {Directory} reached its bound of {Limit} bytes; dropped the oldest {Uploads} checkpoint upload(s) and {Metrics} epoch(s) of metrics that the server has not received.",
            Directory,
            LimitBytes,
            uploads,
            metrics);
        Remove(dropped, "drop", "spool bound reached");
        CompactIfWorthIt(force: true);
    }

    private static long Savings(List<SpoolEntry> dropped) => dropped.Sum(e => e.Footprint + (e.Kind == SpoolEntryKind.Metrics ? 32 + e.Values.Length * 32L : 0));

    private void CompactIfWorthIt(bool force = false)
    {
        // Rewrite the journal when acknowledgements dominate it: keeps it small and replays fast.
        if (!force && (_journalGarbage < 256 || _journalGarbage < _pending.Count * 2))
        {
            if (_pending.Count != 0 || _journalGarbage == 0)
            {
                return;
            }
        }

        string path = Path.Combine(Directory, JournalName);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (Run is { } run)
            {
                WriteTo(stream, w => WriteRun(w, run));
            }

            foreach (var entry in _pending.Values)
            {
                WriteTo(stream, w => WriteEntry(w, entry));
            }

            stream.Flush(flushToDisk: true);
        }

        _journal.Dispose();
        File.Move(temp, path, overwrite: true);
        _journal = OpenJournal(path);
        _journalGarbage = 0;
    }

    private FileStream Recover()
    {
        string path = Path.Combine(Directory, JournalName);
        long good = 0;
        if (File.Exists(path))
        {
            byte[] bytes = File.ReadAllBytes(path);
            int start = 0;
            int line = 0;
            while (start < bytes.Length)
            {
                int end = Array.IndexOf(bytes, (byte)'\n', start);
                if (end < 0)
                {
                    _logger.LogWarning("hub: ignoring an incomplete last record in {Path} (the process was stopped while writing it).", path);
                    break;
                }

                line++;
                try
                {
                    Apply(bytes.AsSpan(start, end - start));
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
                {
                    if (Array.IndexOf(bytes, (byte)'\n', end + 1) < 0)
                    {
                        _logger.LogWarning("hub: ignoring an unreadable last record in {Path}.", path);
                        break;
                    }

                    throw new InvalidDataException($"{path}, line {line}: not a valid spool record ({ex.Message}). Move the file away to start a new spool.", ex);
                }

                start = end + 1;
                good = start;
            }
        }

        var stream = OpenJournal(path);
        if (stream.Length != good)
        {
            stream.SetLength(good);
        }

        // Snapshots nobody refers to come from a crash between copying and journaling: remove them.
        var referenced = new HashSet<string>(_pending.Values.Where(e => e.File is not null).Select(e => Path.GetFileName(e.File!)), StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(Directory, FilesName)))
        {
            if (!referenced.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }

        foreach (var entry in _pending.Values.Where(e => e.Kind == SpoolEntryKind.Upload).ToList())
        {
            if (!File.Exists(PathOf(entry)))
            {
                _logger.LogWarning("hub: the spooled snapshot {File} is missing; its upload is dropped.", entry.File);
                _pending.Remove(entry.Seq);
            }
            else
            {
                _bytes += entry.Size;
            }
        }

        return stream;
    }

    private void Apply(ReadOnlySpan<byte> line)
    {
        using var doc = JsonDocument.Parse(line.ToArray());
        var root = doc.RootElement;
        string op = root.GetProperty("op").GetString() ?? throw new FormatException("op is null");
        switch (op)
        {
            case "run":
                if (Run is not null)
                {
                    _journalGarbage++;
                }

                Run = new SpoolRun(
                    root.GetProperty("clientRunId").GetString()!,
                    root.TryGetProperty("project", out var project) ? project.GetString() : null,
                    root.GetProperty("create").GetRawText(),
                    root.TryGetProperty("runId", out var runId) && runId.ValueKind == JsonValueKind.String ? runId.GetString() : null);
                break;
            case "metrics":
            {
                var values = new List<KeyValuePair<string, double>>();
                foreach (var p in root.GetProperty("values").EnumerateObject())
                {
                    values.Add(new(p.Name, p.Value.GetDouble()));
                }

                AddRecovered(new SpoolEntry { Seq = root.GetProperty("seq").GetInt64(), Kind = SpoolEntryKind.Metrics, Epoch = root.GetProperty("epoch").GetInt32(), Values = [.. values] });
                break;
            }

            case "upload":
                AddRecovered(new SpoolEntry
                {
                    Seq = root.GetProperty("seq").GetInt64(),
                    Kind = SpoolEntryKind.Upload,
                    Epoch = root.TryGetProperty("epoch", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null,
                    CheckpointKind = root.GetProperty("kind").GetString(),
                    Name = root.GetProperty("name").GetString(),
                    File = root.GetProperty("file").GetString(),
                    Sha256 = root.GetProperty("sha256").GetString(),
                    Size = root.GetProperty("size").GetInt64(),
                    MetricName = root.TryGetProperty("metricName", out var mn) ? mn.GetString() : null,
                    MetricValue = root.TryGetProperty("metricValue", out var mv) && mv.ValueKind == JsonValueKind.Number ? mv.GetDouble() : null,
                });
                break;
            case "done" or "drop":
                foreach (var seq in root.GetProperty("seqs").EnumerateArray())
                {
                    _pending.Remove(seq.GetInt64());
                    _journalGarbage += 2;
                }

                break;
            default:
                throw new FormatException($"unknown op '{op}'");
        }
    }

    private void AddRecovered(SpoolEntry entry)
    {
        _pending[entry.Seq] = entry;
        _nextSeq = Math.Max(_nextSeq, entry.Seq + 1);
    }

    private static FileStream OpenJournal(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 1) { Position = new FileInfo(path).Length };

    private void WriteRecord(Action<Utf8JsonWriter> write)
    {
        WriteTo(_journal, write);

        // To the operating system now: a killed process loses nothing already appended.
        _journal.Flush();
    }

    private void WriteTo(Stream stream, Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            write(writer);
        }

        _buffer.Write(NewLine);
        stream.Write(_buffer.WrittenSpan);
    }

    private static void WriteRun(Utf8JsonWriter w, SpoolRun run)
    {
        w.WriteStartObject();
        w.WriteString("op", "run");
        w.WriteString("clientRunId", run.ClientRunId);
        if (run.Project is not null)
        {
            w.WriteString("project", run.Project);
        }

        if (run.RunId is not null)
        {
            w.WriteString("runId", run.RunId);
        }

        w.WritePropertyName("create");
        w.WriteRawValue(run.CreateRequestJson);
        w.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter w, SpoolEntry entry)
    {
        w.WriteStartObject();
        w.WriteString("op", entry.Kind == SpoolEntryKind.Metrics ? "metrics" : "upload");
        w.WriteNumber("seq", entry.Seq);
        if (entry.Epoch is { } epoch)
        {
            w.WriteNumber("epoch", epoch);
        }

        if (entry.Kind == SpoolEntryKind.Metrics)
        {
            w.WriteStartObject("values");
            foreach (var (name, value) in entry.Values)
            {
                w.WriteNumber(name, value);
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteString("kind", entry.CheckpointKind);
            w.WriteString("name", entry.Name);
            w.WriteString("file", entry.File);
            w.WriteString("sha256", entry.Sha256);
            w.WriteNumber("size", entry.Size);
            if (entry.MetricName is not null)
            {
                w.WriteString("metricName", entry.MetricName);
            }

            if (entry.MetricValue is { } value)
            {
                w.WriteNumber("metricValue", value);
            }
        }

        w.WriteEndObject();
    }

    private static (long Size, string Sha256) CopyAndHash(string source, string target)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(81920);
        long size = 0;
        try
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.Read, 1);
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                size += read;
            }

            output.Flush();
        }
        catch
        {
            File.Delete(target);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>For messages: the spool's pending items as text.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return $"{_pending.Count} pending in {Directory}";
        }
    }
}
