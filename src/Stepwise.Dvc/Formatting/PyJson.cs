using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Stepwise.Dvc.Formatting;

/// <summary>
/// JSON text exactly as Python's <c>json.dumps</c> writes it: ASCII-only with lower-case <c>\uXXXX</c>
/// escapes, Python float repr, bare <c>NaN</c>/<c>Infinity</c>, and either <c>indent=4</c> layout or the
/// compact default separators <c>", "</c> / <c>": "</c>.
/// </summary>
internal static class PyJson
{
    /// <summary>Serialises <paramref name="value"/> with <c>indent</c> (null = one line).</summary>
    public static string Serialize(object? value, int? indent = 4, bool sortKeys = false)
    {
        var builder = new StringBuilder();
        Write(builder, value, indent, 0, sortKeys);
        return builder.ToString();
    }

    /// <summary>Appends the JSON of <paramref name="value"/>.</summary>
    public static void Write(StringBuilder builder, object? value, int? indent, int level, bool sortKeys = false)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                return;
            case string s:
                WriteString(builder, s);
                return;
            case bool b:
                builder.Append(b ? "true" : "false");
                return;
            case double d:
                WriteDouble(builder, d);
                return;
            case float f:
                WriteDouble(builder, f);
                return;
            case decimal m:
                WriteDouble(builder, (double)m);
                return;
            case BigInteger big:
                builder.Append(big.ToString(CultureInfo.InvariantCulture));
                return;
            case IDictionary<string, object?> map:
                WriteObject(builder, sortKeys ? map.OrderBy(p => p.Key, StringComparer.Ordinal) : map, map.Count, indent, level, sortKeys);
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var list = pairs.ToList();
                WriteObject(builder, sortKeys ? list.OrderBy(p => p.Key, StringComparer.Ordinal) : list, list.Count, indent, level, sortKeys);
                return;
            case IEnumerable items:
                WriteArray(builder, items, indent, level, sortKeys);
                return;
            default:
                if (PyFormat.IsInteger(value))
                {
                    builder.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                    return;
                }

                throw new ArgumentException($"Cannot write a value of type {value.GetType().Name} as JSON.", nameof(value));
        }
    }

    private static void WriteDouble(StringBuilder builder, double d)
    {
        if (double.IsNaN(d))
        {
            builder.Append("NaN");
        }
        else if (double.IsInfinity(d))
        {
            builder.Append(d > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            PyFormat.AppendDouble(builder, d);
        }
    }

    private static void WriteObject(StringBuilder builder, IEnumerable<KeyValuePair<string, object?>> entries, int count, int? indent, int level, bool sortKeys)
    {
        if (count == 0)
        {
            builder.Append("{}");
            return;
        }

        builder.Append('{');
        var first = true;
        foreach (var (key, item) in entries)
        {
            if (!first)
            {
                builder.Append(indent is null ? ", " : ",");
            }

            first = false;
            NewLine(builder, indent, level + 1);
            WriteString(builder, key);
            builder.Append(": ");
            Write(builder, item, indent, level + 1, sortKeys);
        }

        NewLine(builder, indent, level);
        builder.Append('}');
    }

    private static void WriteArray(StringBuilder builder, IEnumerable items, int? indent, int level, bool sortKeys)
    {
        var first = true;
        foreach (var item in items)
        {
            builder.Append(first ? "[" : indent is null ? ", " : ",");
            first = false;
            NewLine(builder, indent, level + 1);
            Write(builder, item, indent, level + 1, sortKeys);
        }

        if (first)
        {
            builder.Append("[]");
            return;
        }

        NewLine(builder, indent, level);
        builder.Append(']');
    }

    private static void NewLine(StringBuilder builder, int? indent, int level)
    {
        if (indent is { } width)
        {
            builder.Append('\n').Append(' ', width * level);
        }
    }

    /// <summary>Appends a JSON string literal with Python's <c>ensure_ascii</c> escaping.</summary>
    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
