using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Stepwise.Dvc.Internal;

/// <summary>Reads JSON into ordered dictionaries, lists, long/double/bool/string/null like Python's json.</summary>
internal static class JsonValues
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses a JSON object; anything else gives an empty dictionary.</summary>
    public static OrderedDictionary<string, object?> LoadObject(string text)
    {
        using var document = JsonDocument.Parse(text, Options);
        return Convert(document.RootElement) as OrderedDictionary<string, object?> ?? new(StringComparer.Ordinal);
    }

    /// <summary>Parses any JSON value.</summary>
    public static object? Load(string text)
    {
        using var document = JsonDocument.Parse(text, Options);
        return Convert(document.RootElement);
    }

    private static object? Convert(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = Convert(property.Value);
                }

                return map;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(Convert).ToList();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") >= 0)
                {
                    return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                }

                if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                return BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
