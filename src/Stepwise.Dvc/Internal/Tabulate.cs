using System.Globalization;
using System.Net;
using System.Text;
using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Internal;

/// <summary>One-row tables as tabulate 0.8 prints them (<c>html</c> and <c>github</c> formats).</summary>
internal static class Tabulate
{
    private const int MinPadding = 2;

    /// <summary>Flattens nested dictionaries with <c>.</c>-joined keys (dvc-render's table input).</summary>
    public static OrderedDictionary<string, object?> Flatten(IDictionary<string, object?> data)
    {
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        Flatten(data, null, result);
        return result;
    }

    private static void Flatten(IDictionary<string, object?> data, string? prefix, OrderedDictionary<string, object?> result)
    {
        foreach (var (key, value) in data)
        {
            var name = prefix is null ? key : prefix + "." + key;
            if (value is IDictionary<string, object?> { Count: > 0 } nested)
            {
                Flatten(nested, name, result);
            }
            else
            {
                result[name] = value;
            }
        }
    }

    private static (string Text, bool Numeric) Cell(object? value)
    {
        switch (value)
        {
            case null:
                return (string.Empty, false);
            case bool b:
                return (b ? "True" : "False", false);
            case double d:
                return (PyFormat.General(d), true);
            case float f:
                return (PyFormat.General(f), true);
            case string s:
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || s is "nan" or "inf" or "-inf")
                {
                    var isInt = long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
                    return (isInt ? s : PyFormat.General(s switch { "nan" => double.NaN, "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => parsed }), true);
                }

                return (s, false);
            case IDictionary<string, object?> or List<object?>:
                return (PyFormat.Repr(value), false);
            default:
                return PyFormat.IsInteger(value) ? (PyFormat.Str(value), true) : (PyFormat.Str(value), false);
        }
    }

    private static List<(string Header, string Cell, bool Numeric, int Width)> Columns(IDictionary<string, object?> row) =>
        row.Select(pair =>
        {
            var (text, numeric) = Cell(pair.Value);
            return (pair.Key, text, numeric, Math.Max(pair.Key.Length + MinPadding, text.Length));
        }).ToList();

    private static string Pad(string text, int width, bool right) => right ? text.PadLeft(width) : text.PadRight(width);

    /// <summary>tabulate <c>github</c> format.</summary>
    public static string Github(IDictionary<string, object?> row)
    {
        var columns = Columns(row);
        var builder = new StringBuilder();
        builder.Append("| ").AppendJoin(" | ", columns.Select(c => Pad(c.Header, c.Width, c.Numeric))).Append(" |\n");
        builder.Append('|').AppendJoin("|", columns.Select(c => new string('-', c.Width + 2))).Append("|\n");
        builder.Append("| ").AppendJoin(" | ", columns.Select(c => Pad(c.Cell, c.Width, c.Numeric))).Append(" |");
        return builder.ToString();
    }

    /// <summary>tabulate <c>html</c> format.</summary>
    public static string Html(IDictionary<string, object?> row)
    {
        var columns = Columns(row);
        string Align(bool numeric) => numeric ? "right" : "left";
        var builder = new StringBuilder("<table>\n<thead>\n<tr>");
        foreach (var c in columns)
        {
            builder.Append("<th style=\"text-align: ").Append(Align(c.Numeric)).Append(";\">").Append(WebUtility.HtmlEncode(Pad(c.Header, c.Width, c.Numeric))).Append("</th>");
        }

        builder.Append("</tr>\n</thead>\n<tbody>\n<tr>");
        foreach (var c in columns)
        {
            builder.Append("<td style=\"text-align: ").Append(Align(c.Numeric)).Append(";\">").Append(WebUtility.HtmlEncode(Pad(c.Cell, c.Width, c.Numeric))).Append("</td>");
        }

        builder.Append("</tr>\n</tbody>\n</table>");
        return builder.ToString();
    }
}
