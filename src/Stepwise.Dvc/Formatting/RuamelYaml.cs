using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace Stepwise.Dvc.Formatting;

/// <summary>
/// Block-style YAML as ruamel.yaml's round-trip dumper writes it with its defaults: mapping indent 2,
/// sequences not indented under their key, plain scalars unless the text would read back as another
/// type or break the syntax (then single quotes, or double quotes for text with <c>'</c>, line breaks
/// or control characters), long scalars folded at column 80, Python float repr.
/// </summary>
internal sealed partial class RuamelYaml
{
    private const int BestWidth = 80;
    private readonly StringBuilder _out = new();
    private int _column;

    private RuamelYaml()
    {
    }

    /// <summary>Writes a top-level mapping; the text ends with a newline (empty mapping → <c>{}</c>).</summary>
    public static string SerializeMapping(IEnumerable<KeyValuePair<string, object?>> mapping)
    {
        var writer = new RuamelYaml();
        var entries = mapping as IReadOnlyCollection<KeyValuePair<string, object?>> ?? mapping.ToList();
        if (entries.Count == 0)
        {
            return "{}\n";
        }

        writer.EmitMapping(entries, 0, firstInline: true);
        writer._out.Append('\n');
        return writer._out.ToString();
    }

    /// <summary>Writes a sequence whose dashes start at <paramref name="indent"/>; ends with a newline.</summary>
    public static string SerializeSequence(IEnumerable<object?> items, int indent)
    {
        var writer = new RuamelYaml();
        writer._out.Append(' ', indent);
        writer._column = indent;
        writer.EmitSequence(items.ToList(), indent, firstInline: true);
        writer._out.Append('\n');
        return writer._out.ToString();
    }

    /// <summary>Writes mapping entries whose keys start at <paramref name="indent"/>; ends with a newline.</summary>
    public static string SerializeEntries(IEnumerable<KeyValuePair<string, object?>> entries, int indent)
    {
        var writer = new RuamelYaml();
        writer._out.Append(' ', indent);
        writer._column = indent;
        writer.EmitMapping(entries.ToList(), indent, firstInline: true);
        writer._out.Append('\n');
        return writer._out.ToString();
    }

    /// <summary>The path of the first value YAML cannot represent, or null when all can be written.</summary>
    public static string? FindUnrepresentable(object? value, string path)
    {
        switch (value)
        {
            case null or string or bool or double or float or decimal or BigInteger:
                return null;
            case IDictionary<string, object?> map:
                foreach (var (key, item) in map)
                {
                    if (FindUnrepresentable(item, path + "." + key) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var (key, item) in pairs)
                {
                    if (FindUnrepresentable(item, path + "." + key) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    if (FindUnrepresentable(item, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]") is { } found)
                    {
                        return found;
                    }

                    index++;
                }

                return null;
            default:
                return PyFormat.IsInteger(value) ? null : path;
        }
    }

    private void Write(string text)
    {
        _out.Append(text);
        _column += text.Length;
    }

    private void NewLine(int indent)
    {
        _out.Append('\n').Append(' ', indent);
        _column = indent;
    }

    private void EmitMapping(IEnumerable<KeyValuePair<string, object?>> entries, int indent, bool firstInline)
    {
        var first = true;
        foreach (var (key, value) in entries)
        {
            if (!first || !firstInline)
            {
                NewLine(indent);
            }

            first = false;
            EmitScalarText(key, indent, simpleKey: true);
            Write(":");
            EmitValue(value, indent, inSequence: false);
        }
    }

    private void EmitSequence(IReadOnlyList<object?> items, int indent, bool firstInline)
    {
        var first = true;
        foreach (var item in items)
        {
            if (!first || !firstInline)
            {
                NewLine(indent);
            }

            first = false;
            Write("-");
            EmitValue(item, indent, inSequence: true);
        }
    }

    // Called right after "key:" or "-".
    private void EmitValue(object? value, int indent, bool inSequence)
    {
        switch (value)
        {
            case string or null or bool or double or float or decimal or BigInteger:
                EmitScalar(value, indent);
                return;
            case IDictionary<string, object?> map:
                EmitMappingValue(map, indent, inSequence);
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                EmitMappingValue(pairs.ToList(), indent, inSequence);
                return;
            case IEnumerable items:
                var list = items.Cast<object?>().ToList();
                if (list.Count == 0)
                {
                    Write(" []");
                }
                else if (inSequence)
                {
                    Write(" ");
                    EmitSequence(list, indent + 2, firstInline: true);
                }
                else
                {
                    EmitSequence(list, indent, firstInline: false);
                }

                return;
            default:
                EmitScalar(value, indent);
                return;
        }
    }

    private void EmitMappingValue(IEnumerable<KeyValuePair<string, object?>> map, int indent, bool inSequence)
    {
        var entries = map as IReadOnlyCollection<KeyValuePair<string, object?>> ?? map.ToList();
        if (entries.Count == 0)
        {
            Write(" {}");
        }
        else if (inSequence)
        {
            Write(" ");
            EmitMapping(entries, indent + 2, firstInline: true);
        }
        else
        {
            EmitMapping(entries, indent + 2, firstInline: false);
        }
    }

    private void EmitScalar(object? value, int indent)
    {
        switch (value)
        {
            case null:
                return;
            case string s:
                Write(" ");
                EmitScalarText(s, indent + 2, simpleKey: false);
                return;
            default:
                Write(" ");
                Write(FormatNonString(value));
                return;
        }
    }

    /// <summary>The YAML text of a non-string scalar (ruamel representers).</summary>
    public static string FormatNonString(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        double d => FormatFloat(d),
        float f => FormatFloat(f),
        decimal m => FormatFloat((double)m),
        _ => PyFormat.Str(value),
    };

    private static string FormatFloat(double d) =>
        double.IsNaN(d) ? ".nan" : double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : PyFormat.Double(d);

    private void EmitScalarText(string text, int indent, bool simpleKey)
    {
        var analysis = Analyze(text);
        var plainResolvesToString = !ResolvesToNonString(text);
        if (plainResolvesToString && analysis.AllowBlockPlain && !(simpleKey && (analysis.Empty || analysis.Multiline)))
        {
            WritePlain(text, indent, split: !simpleKey);
            return;
        }

        if (analysis.AllowDoubleQuoted && (text.Contains('\'', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal)))
        {
            WriteDoubleQuoted(text, indent, split: !simpleKey);
            return;
        }

        if (analysis.AllowSingleQuoted && !(simpleKey && analysis.Multiline))
        {
            WriteSingleQuoted(text, indent, split: !simpleKey);
            return;
        }

        WriteDoubleQuoted(text, indent, split: !simpleKey);
    }

    private static bool IsBreak(char c) => c is '\n' or '\x85' or '\u2028' or '\u2029';

    private static bool IsSpaceOrEnd(string text, int index) => index >= text.Length || text[index] is '\0' or ' ' or '\t' or '\r' or '\n' or '\x85' or '\u2028' or '\u2029';

    private readonly record struct Analysis(bool Empty, bool Multiline, bool AllowBlockPlain, bool AllowSingleQuoted, bool AllowDoubleQuoted);

    private static Analysis Analyze(string scalar)
    {
        if (scalar.Length == 0)
        {
            return new Analysis(true, false, false, true, true);
        }

        bool blockIndicators = false, lineBreaks = false, specialCharacters = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        if (scalar.StartsWith("---", StringComparison.Ordinal) || scalar.StartsWith("...", StringComparison.Ordinal))
        {
            blockIndicators = true;
        }

        var precededByWhitespace = true;
        var followedByWhitespace = IsSpaceOrEnd(scalar, 1);
        for (var index = 0; index < scalar.Length; index++)
        {
            var ch = scalar[index];
            if (index == 0)
            {
                if ("#,[]{}&*!|>'\"%@`".Contains(ch, StringComparison.Ordinal))
                {
                    blockIndicators = true;
                }

                if (ch is '?' or ':' && followedByWhitespace)
                {
                    blockIndicators = true;
                }

                if (ch == '-' && followedByWhitespace)
                {
                    blockIndicators = true;
                }
            }
            else
            {
                if (ch == ':' && followedByWhitespace)
                {
                    blockIndicators = true;
                }

                if (ch == '#' && precededByWhitespace)
                {
                    blockIndicators = true;
                }
            }

            if (IsBreak(ch))
            {
                lineBreaks = true;
            }

            if (!(ch == '\n' || (ch >= ' ' && ch <= '~')))
            {
                var printable = ch == '\x85' || (ch >= '\xA0' && ch <= '\uD7FF') || (ch >= '\uE000' && ch <= '\uFFFD') || char.IsSurrogate(ch);
                if (!printable || ch == '\uFEFF')
                {
                    specialCharacters = true;
                }
            }

            if (ch == ' ')
            {
                if (index == 0)
                {
                    leadingSpace = true;
                }

                if (index == scalar.Length - 1)
                {
                    trailingSpace = true;
                }

                if (previousBreak)
                {
                    breakSpace = true;
                }

                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(ch))
            {
                if (index == 0)
                {
                    leadingBreak = true;
                }

                if (index == scalar.Length - 1)
                {
                    trailingBreak = true;
                }

                if (previousSpace)
                {
                    spaceBreak = true;
                }

                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }

            precededByWhitespace = ch is '\0' or ' ' or '\t' or '\r' or '\n' or '\x85' or '\u2028' or '\u2029';
            followedByWhitespace = IsSpaceOrEnd(scalar, index + 2);
        }

        bool blockPlain = true, single = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak)
        {
            blockPlain = false;
        }

        if (breakSpace || spaceBreak || specialCharacters)
        {
            blockPlain = false;
            single = false;
        }

        if (lineBreaks || blockIndicators)
        {
            blockPlain = false;
        }

        return new Analysis(false, lineBreaks, blockPlain, single, true);
    }

    private static bool ResolvesToNonString(string text)
    {
        if (text.Length == 0)
        {
            return true;
        }

        return text is "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE" or "<<" or "="
            || IntPattern().IsMatch(text) || FloatPattern().IsMatch(text) || TimestampPattern().IsMatch(text);
    }

    [GeneratedRegex("^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    private void WritePlain(string text, int indent, bool split)
    {
        var spaces = false;
        var start = 0;
        for (var end = 0; end <= text.Length; end++)
        {
            char? ch = end < text.Length ? text[end] : null;
            if (spaces)
            {
                if (ch != ' ')
                {
                    if (start + 1 == end && _column > BestWidth && split)
                    {
                        NewLine(indent);
                    }
                    else
                    {
                        Write(text[start..end]);
                    }

                    start = end;
                }
            }
            else if (ch is null or ' ')
            {
                Write(text[start..end]);
                start = end;
            }

            if (ch is not null)
            {
                spaces = ch == ' ';
            }
        }
    }

    private void WriteSingleQuoted(string text, int indent, bool split)
    {
        Write("'");
        var spaces = false;
        var breaks = false;
        var start = 0;
        for (var end = 0; end <= text.Length; end++)
        {
            char? ch = end < text.Length ? text[end] : null;
            if (spaces)
            {
                if (ch is null or not ' ')
                {
                    if (start + 1 == end && _column > BestWidth && split && start != 0 && end != text.Length)
                    {
                        NewLine(indent);
                    }
                    else
                    {
                        Write(text[start..end]);
                    }

                    start = end;
                }
            }
            else if (breaks)
            {
                if (ch is null || !IsBreak(ch.Value))
                {
                    if (text[start] == '\n')
                    {
                        _out.Append('\n');
                    }

                    foreach (var br in text[start..end])
                    {
                        _out.Append(br == '\n' ? "\n" : br.ToString());
                    }

                    NewLine(indent);
                    start = end;
                }
            }
            else if (ch is null or ' ' or '\'' || IsBreak(ch.Value))
            {
                if (start < end)
                {
                    Write(text[start..end]);
                    start = end;
                }
            }

            if (ch == '\'')
            {
                Write("''");
                start = end + 1;
            }

            if (ch is not null)
            {
                spaces = ch == ' ';
                breaks = IsBreak(ch.Value);
            }
        }

        Write("'");
    }

    private static string? DoubleEscape(char ch) => ch switch
    {
        '\0' => "0",
        '\a' => "a",
        '\b' => "b",
        '\t' => "t",
        '\n' => "n",
        '\v' => "v",
        '\f' => "f",
        '\r' => "r",
        '\x1B' => "e",
        '"' => "\"",
        '\\' => "\\",
        '\x85' => "N",
        '\xA0' => "_",
        '\u2028' => "L",
        '\u2029' => "P",
        _ => null,
    };

    private void WriteDoubleQuoted(string text, int indent, bool split)
    {
        Write("\"");
        var start = 0;
        for (var end = 0; end <= text.Length; end++)
        {
            char? ch = end < text.Length ? text[end] : null;
            var needsEscape = ch is { } c && (c is '"' or '\\' or '\x85' or '\u2028' or '\u2029' or '\uFEFF'
                || !((c >= ' ' && c <= '~') || (c >= '\xA0' && c <= '\uD7FF') || (c >= '\uE000' && c <= '\uFFFD') || char.IsSurrogate(c)));
            if (ch is null || needsEscape)
            {
                if (start < end)
                {
                    Write(text[start..end]);
                    start = end;
                }

                if (ch is { } escaped)
                {
                    var replacement = DoubleEscape(escaped);
                    Write(replacement is not null
                        ? "\\" + replacement
                        : escaped <= '\xFF'
                            ? "\\x" + ((int)escaped).ToString("X2", CultureInfo.InvariantCulture)
                            : "\\u" + ((int)escaped).ToString("X4", CultureInfo.InvariantCulture));
                    start = end + 1;
                }
            }

            if (end > 0 && end < text.Length - 1 && (ch == ' ' || start >= end) && _column + (end - start) > BestWidth && split)
            {
                var data = text[start..end] + "\\";
                if (start < end)
                {
                    start = end;
                }

                Write(data);
                NewLine(indent);
                if (start < text.Length && text[start] == ' ')
                {
                    Write("\\");
                }
            }
        }

        Write("\"");
    }
}
