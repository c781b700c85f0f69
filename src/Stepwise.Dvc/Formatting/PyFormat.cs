using System.Globalization;
using System.Numerics;
using System.Text;

namespace Stepwise.Dvc.Formatting;

/// <summary>
/// Number and value text exactly as Python prints it: <c>repr(float)</c> (shortest round-trip digits,
/// fixed notation for decimal exponents -4..15, else <c>1e-05</c> style), <c>str()</c> of the other
/// scalar types and <c>format(x, "g")</c>.
/// </summary>
internal static class PyFormat
{
    /// <summary>Python <c>repr</c> of a double; non-finite values give <c>nan</c>, <c>inf</c>, <c>-inf</c>.</summary>
    public static string Double(double value)
    {
        Span<char> buffer = stackalloc char[40];
        var written = WriteDouble(value, buffer);
        return new string(buffer[..written]);
    }

    /// <summary>Appends Python's <c>repr</c> of a double.</summary>
    public static void AppendDouble(StringBuilder builder, double value)
    {
        Span<char> buffer = stackalloc char[40];
        var written = WriteDouble(value, buffer);
        builder.Append(buffer[..written]);
    }

    /// <summary>numpy's <c>str(float32)</c>: shortest single-precision digits with Python's layout.</summary>
    public static string Single(float value)
    {
        if (!float.IsFinite(value))
        {
            return NonFinite(value);
        }

        Span<char> raw = stackalloc char[32];
        value.TryFormat(raw, out var n, "R", CultureInfo.InvariantCulture);
        Span<char> buffer = stackalloc char[48];
        var written = Layout(raw[..n], float.IsNegative(value), value == 0, buffer);
        return new string(buffer[..written]);
    }

    /// <summary>Writes Python's <c>repr</c> of a double into <paramref name="destination"/> (≥ 40 chars).</summary>
    public static int WriteDouble(double value, Span<char> destination)
    {
        if (!double.IsFinite(value))
        {
            var text = NonFinite(value);
            text.AsSpan().CopyTo(destination);
            return text.Length;
        }

        Span<char> raw = stackalloc char[32];
        value.TryFormat(raw, out var n, "R", CultureInfo.InvariantCulture);
        return Layout(raw[..n], double.IsNegative(value), value == 0, destination);
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    // raw: .NET shortest round-trip text such as "1E-05", "-0.0001", "1.2345678901234568E+17", "123.5".
    private static int Layout(ReadOnlySpan<char> raw, bool negative, bool zero, Span<char> destination)
    {
        var pos = 0;
        if (negative)
        {
            destination[pos++] = '-';
        }

        if (zero)
        {
            "0.0".AsSpan().CopyTo(destination[pos..]);
            return pos + 3;
        }

        if (raw.Length > 0 && raw[0] == '-')
        {
            raw = raw[1..];
        }

        var exponent = 0;
        var ePos = raw.IndexOfAny('E', 'e');
        var mantissa = raw;
        if (ePos >= 0)
        {
            exponent = int.Parse(raw[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = raw[..ePos];
        }

        Span<char> digits = stackalloc char[32];
        var count = 0;
        var intDigits = -1;
        foreach (var c in mantissa)
        {
            if (c == '.')
            {
                intDigits = count;
            }
            else
            {
                digits[count++] = c;
            }
        }

        if (intDigits < 0)
        {
            intDigits = count;
        }

        var leading = 0;
        while (leading < count - 1 && digits[leading] == '0')
        {
            leading++;
        }

        var sig = digits[leading..count];
        var end = sig.Length;
        while (end > 1 && sig[end - 1] == '0')
        {
            end--;
        }

        sig = sig[..end];
        // Decimal exponent of the first significant digit.
        var e = intDigits - 1 - leading + exponent;
        if (e is >= -4 and < 16)
        {
            if (e >= 0)
            {
                for (var i = 0; i <= e; i++)
                {
                    destination[pos++] = i < sig.Length ? sig[i] : '0';
                }

                destination[pos++] = '.';
                if (sig.Length > e + 1)
                {
                    sig[(e + 1)..].CopyTo(destination[pos..]);
                    pos += sig.Length - e - 1;
                }
                else
                {
                    destination[pos++] = '0';
                }
            }
            else
            {
                destination[pos++] = '0';
                destination[pos++] = '.';
                for (var i = 0; i < -e - 1; i++)
                {
                    destination[pos++] = '0';
                }

                sig.CopyTo(destination[pos..]);
                pos += sig.Length;
            }

            return pos;
        }

        destination[pos++] = sig[0];
        if (sig.Length > 1)
        {
            destination[pos++] = '.';
            sig[1..].CopyTo(destination[pos..]);
            pos += sig.Length - 1;
        }

        destination[pos++] = 'e';
        destination[pos++] = e < 0 ? '-' : '+';
        var abs = Math.Abs(e);
        if (abs < 10)
        {
            destination[pos++] = '0';
        }

        abs.TryFormat(destination[pos..], out var expLen, default, CultureInfo.InvariantCulture);
        return pos + expLen;
    }

    /// <summary>Python <c>format(x, "g")</c> (6 significant digits, trailing zeros removed).</summary>
    public static string General(double value)
    {
        if (!double.IsFinite(value))
        {
            return NonFinite(value);
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var text = value.ToString("E5", CultureInfo.InvariantCulture);
        var ePos = text.IndexOf('E', StringComparison.Ordinal);
        var exponent = int.Parse(text.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent is >= -4 and < 6)
        {
            var fixedText = value.ToString("F" + (5 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (fixedText.Contains('.', StringComparison.Ordinal))
            {
                fixedText = fixedText.TrimEnd('0').TrimEnd('.');
            }

            return fixedText;
        }

        var mantissa = text[..ePos];
        if (mantissa.Contains('.', StringComparison.Ordinal))
        {
            mantissa = mantissa.TrimEnd('0').TrimEnd('.');
        }

        var sign = exponent < 0 ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{sign}{Math.Abs(exponent):00}");
    }

    /// <summary>Python <c>str()</c> of a scalar value (floats as <c>repr</c>, bools <c>True</c>/<c>False</c>).</summary>
    public static string Str(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        double d => Double(d),
        float f => Single(f),
        decimal m => Double((double)m),
        BigInteger big => big.ToString(CultureInfo.InvariantCulture),
        IFormattable formattable when IsInteger(value) => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>Python <c>repr()</c> of a value (strings quoted, lists and dicts in Python syntax).</summary>
    public static string Repr(object? value)
    {
        var builder = new StringBuilder();
        AppendRepr(builder, value);
        return builder.ToString();
    }

    private static void AppendRepr(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case string s:
                var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
                builder.Append(quote);
                foreach (var c in s)
                {
                    if (c == quote || c == '\\')
                    {
                        builder.Append('\\').Append(c);
                    }
                    else if (c == '\n')
                    {
                        builder.Append("\\n");
                    }
                    else if (c == '\r')
                    {
                        builder.Append("\\r");
                    }
                    else if (c == '\t')
                    {
                        builder.Append("\\t");
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                }

                builder.Append(quote);
                break;
            case IDictionary<string, object?> map:
                builder.Append('{');
                var firstEntry = true;
                foreach (var (key, item) in map)
                {
                    if (!firstEntry)
                    {
                        builder.Append(", ");
                    }

                    firstEntry = false;
                    AppendRepr(builder, key);
                    builder.Append(": ");
                    AppendRepr(builder, item);
                }

                builder.Append('}');
                break;
            case System.Collections.IEnumerable list:
                builder.Append('[');
                var first = true;
                foreach (var item in list)
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    AppendRepr(builder, item);
                }

                builder.Append(']');
                break;
            default:
                builder.Append(Str(value));
                break;
        }
    }

    /// <summary>True for the integral CLR types (Python <c>int</c>).</summary>
    public static bool IsInteger(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger or nint or nuint;
}
