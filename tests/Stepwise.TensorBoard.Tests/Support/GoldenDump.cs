using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Stepwise.TensorBoard.Tests.Support;

/// <summary>
/// Parses the record-by-record <c>.txt</c> dumps beside the golden event files: each record's offset
/// and length, its <c>Event</c> in protobuf text format and the decoded nested payloads, flattened to
/// (path, normalised value) pairs so they can be compared with what the reader decodes.
/// </summary>
internal static partial class GoldenDump
{
    private static readonly HashSet<string> FloatFields = ["simple_value", "float_val"];

    private static readonly HashSet<string> DoubleFields =
        ["wall_time", "min", "max", "num", "sum", "sum_squares", "bucket_limit", "bucket", "number_value", "start_time_secs", "end_time_secs"];

    public sealed record Record(long Offset, long Length, List<(string Path, string Value)> Event, List<(string Header, List<(string Path, string Value)> Fields)> Decoded);

    public static List<Record> Parse(string dumpPath)
    {
        var lines = File.ReadAllLines(dumpPath);
        var records = new List<Record>();
        int i = 0;
        while (i < lines.Length)
        {
            var header = RecordHeader().Match(lines[i]);
            if (!header.Success)
            {
                i++;
                continue;
            }

            i++;
            var eventLines = new List<string>();
            var decoded = new List<(string, List<(string, string)>)>();
            while (i < lines.Length && !lines[i].StartsWith("===", StringComparison.Ordinal) && !Footer().IsMatch(lines[i]))
            {
                string line = lines[i];
                if (line.StartsWith("# data hex", StringComparison.Ordinal) || line.Length == 0)
                {
                    i++;
                }
                else if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    string title = line[2..];
                    i++;
                    var block = new List<string>();
                    while (i < lines.Length && lines[i].StartsWith("    ", StringComparison.Ordinal))
                    {
                        block.Add(lines[i]);
                        i++;
                    }

                    decoded.Add((title, Flatten(block)));
                }
                else
                {
                    eventLines.Add(line);
                    i++;
                }
            }

            records.Add(new Record(long.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(header.Groups[2].Value, CultureInfo.InvariantCulture), Flatten(eventLines), decoded));
        }

        return records;
    }

    public static string Float(double value) => "F:" + ((float)value).ToString("R", CultureInfo.InvariantCulture);

    public static string Double(double value) => "D:" + value.ToString("R", CultureInfo.InvariantCulture);

    public static string Bytes(byte[] value) => "B:" + Convert.ToHexString(value);

    public static string Text(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    private static List<(string Path, string Value)> Flatten(List<string> lines)
    {
        var result = new List<(string, string)>();
        var stack = new Stack<string>();
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line == "}")
            {
                stack.Pop();
                continue;
            }

            if (line.EndsWith('{'))
            {
                string name = line[..^1].Trim();
                stack.Push(name);
                result.Add((Path(stack), "{"));
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = line[..colon];
            string token = line[(colon + 1)..].Trim();
            result.Add((Path(stack) + "/" + field, Normalise(field, token)));
        }

        return result;
    }

    private static string Path(Stack<string> stack) => string.Join("/", stack.Reverse());

    private static string Normalise(string field, string token)
    {
        if (token.StartsWith('"'))
        {
            return Bytes(Unescape(token[1..^1]));
        }

        if (FloatFields.Contains(field))
        {
            return Float(float.Parse(token, CultureInfo.InvariantCulture));
        }

        if (DoubleFields.Contains(field))
        {
            return Double(double.Parse(token, CultureInfo.InvariantCulture));
        }

        return token;
    }

    private static byte[] Unescape(string s)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '\\')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }

            char n = s[++i];
            if (n is >= '0' and <= '7')
            {
                int len = 1;
                while (len < 3 && i + len < s.Length && s[i + len] is >= '0' and <= '7')
                {
                    len++;
                }

                bytes.Add((byte)Convert.ToInt32(s.Substring(i, len), 8));
                i += len - 1;
                continue;
            }

            bytes.Add(n switch
            {
                'n' => (byte)'\n',
                'r' => (byte)'\r',
                't' => (byte)'\t',
                'a' => 7,
                'b' => 8,
                'f' => 12,
                'v' => 11,
                _ => (byte)n,
            });
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"^=== record \d+\s+offset=(\d+)\s+length=(\d+)\s+len_crc=0x[0-9a-f]+ ok\s+data_crc=0x[0-9a-f]+ ok$")]
    private static partial Regex RecordHeader();

    [GeneratedRegex(@"^# \d+ records$")]
    private static partial Regex Footer();
}
