using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// One <c>plots/metrics/&lt;name&gt;.tsv</c>: header on creation, rows appended whole. The file handle
/// stays open and rows are written with positional writes, so a step costs one system call per file
/// however long the history is.
/// </summary>
internal sealed class MetricTsvWriter : IDisposable
{
    private static readonly byte[] Newline = Encoding.UTF8.GetBytes(Environment.NewLine);
    private readonly string _path;
    private readonly string _leaf;
    private readonly StringBuilder _pending = new();
    private byte[] _buffer = new byte[256];
    private SafeFileHandle? _handle;
    private long _offset;
    private bool? _hasTimestampColumn;
    private int _rowCount;

    public MetricTsvWriter(string path, string leaf)
    {
        _path = path;
        _leaf = leaf;
        if (File.Exists(path))
        {
            // Resumed: continue under the existing header (its columns win).
            using var reader = new StreamReader(path, Encoding.UTF8);
            var header = reader.ReadLine();
            if (!string.IsNullOrEmpty(header))
            {
                _hasTimestampColumn = header.StartsWith("timestamp\t", StringComparison.Ordinal);
            }

            _rowCount = -1;
        }
    }

    /// <summary>The file's path as Studio names it (relative to the DVC root), once computed.</summary>
    public string? StudioPath { get; set; }

    /// <summary>The value column's name.</summary>
    public string Leaf => _leaf;

    /// <summary>True when the file's header has a timestamp column (known after the first row).</summary>
    public bool HasTimestampColumn => _hasTimestampColumn == true;

    /// <summary>Absolute path of the file.</summary>
    public string Path => _path;

    /// <summary>Rows written by this process plus, after a resume, unknown earlier ones (-1 then).</summary>
    public int RowCount => _rowCount;

    /// <summary>Set when a row's timestamp choice differed from the header's (warned once).</summary>
    public bool ColumnMismatchWarned { get; set; }

    /// <summary>Formats one row into the pending buffer. Returns false when the row's timestamp choice
    /// differs from the header (the header's columns are kept).</summary>
    public bool Append(long step, string cell, long? timestampMs, long nowMs)
    {
        var consistent = true;
        if (_hasTimestampColumn is null)
        {
            _hasTimestampColumn = timestampMs is not null;
            if (_hasTimestampColumn.Value)
            {
                _pending.Append("timestamp\tstep\t");
            }
            else
            {
                _pending.Append("step\t");
            }

            AppendField(_pending, _leaf);
            _pending.Append(Environment.NewLine);
        }
        else if (_hasTimestampColumn.Value != timestampMs is not null)
        {
            consistent = false;
        }

        if (_hasTimestampColumn.Value)
        {
            _pending.Append(timestampMs ?? nowMs).Append('\t');
        }

        _pending.Append(step).Append('\t');
        AppendField(_pending, cell);
        _pending.Append(Environment.NewLine);
        if (_rowCount >= 0)
        {
            _rowCount++;
        }

        return consistent;
    }

    /// <summary>True when rows wait in memory.</summary>
    public bool HasPending => _pending.Length > 0;

    /// <summary>Appends the pending rows to the file in one write.</summary>
    public void Flush()
    {
        if (_pending.Length == 0)
        {
            return;
        }

        if (_handle is null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            _handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            _offset = RandomAccess.GetLength(_handle);
        }

        var needed = Encoding.UTF8.GetMaxByteCount(_pending.Length);
        if (_buffer.Length < needed)
        {
            _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
        }

        var length = 0;
        foreach (var chunk in _pending.GetChunks())
        {
            length += Encoding.UTF8.GetBytes(chunk.Span, _buffer.AsSpan(length));
        }

        _pending.Clear();
        RandomAccess.Write(_handle, _buffer.AsSpan(0, length), _offset);
        _offset += length;
    }

    /// <summary>Python csv "minimal" quoting with a tab delimiter.</summary>
    internal static void AppendField(StringBuilder builder, string field)
    {
        if (field.AsSpan().IndexOfAny("\t\"\r\n") < 0)
        {
            builder.Append(field);
            return;
        }

        builder.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>The step and value cell of the last complete row, or null (no rows or unreadable).</summary>
    public static (long Step, string Cell)? ReadLastRow(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        var chunk = (int)Math.Min(length, 64 * 1024);
        var bytes = new byte[chunk];
        stream.Position = length - chunk;
        stream.ReadExactly(bytes);
        var text = Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.EndsWith('\n'))
        {
            // A row is complete only with its line end.
            text = text[..(text.LastIndexOf('\n') + 1)];
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            return null;
        }

        var records = ParseTsv(lines[^1] + "\n");
        if (records.Count == 0 || records[0].Count < 2)
        {
            return null;
        }

        var fields = records[0];
        var stepField = fields.Count >= 3 ? fields[^2] : fields[0];
        return long.TryParse(stepField, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var step)
            ? (step, fields[^1])
            : null;
    }

    /// <summary>A cell as the value it was logged as: integer, float, bool, or the text (nan/inf stay strings).</summary>
    public static object ParseCell(string cell)
    {
        if (long.TryParse(cell, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (cell is "True" or "False")
        {
            return cell == "True";
        }

        if (cell is not ("nan" or "inf" or "-inf") && double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        return cell;
    }

    /// <summary>Reads the rows back (header names → cell text), for reports and Studio.</summary>
    public static List<OrderedDictionary<string, string>> ReadRows(string path)
    {
        var rows = new List<OrderedDictionary<string, string>>();
        if (!File.Exists(path))
        {
            return rows;
        }

        var text = File.ReadAllText(path, Encoding.UTF8);
        var records = ParseTsv(text);
        if (records.Count == 0)
        {
            return rows;
        }

        var header = records[0];
        foreach (var record in records.Skip(1))
        {
            var row = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count && i < record.Count; i++)
            {
                row[header[i]] = record[i];
            }

            rows.Add(row);
        }

        return rows;
    }

    private static List<List<string>> ParseTsv(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case '\t':
                    record.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    fieldStarted = false;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }

        if (fieldStarted || field.Length > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        return records;
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
    }
}
