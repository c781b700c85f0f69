using System.Text;

namespace Stepwise.Hub.Server.Interop;

/// <summary>
/// Reads JSON written by Python's <c>json.dumps</c>, which emits the bare tokens <c>NaN</c>,
/// <c>Infinity</c> and <c>-Infinity</c> for non-finite floats: they become <c>null</c> so a standard
/// parser accepts the text (and the value is skipped as "not a number").
/// </summary>
internal static class PythonJson
{
    /// <summary>Replaces non-finite number tokens outside strings by <c>null</c>.</summary>
    /// <param name="json">The text.</param>
    /// <returns>Standard JSON text (unchanged when there was nothing to replace).</returns>
    public static string Sanitize(string json)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal))
        {
            return json;
        }

        var builder = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                builder.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    builder.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                builder.Append(c);
            }
            else if (Token(json, i, "NaN") || Token(json, i, "Infinity"))
            {
                builder.Append("null");
                i += json[i] == 'N' ? 2 : 7;
            }
            else if (Token(json, i, "-Infinity"))
            {
                builder.Append("null");
                i += 8;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool Token(string json, int at, string token) => string.CompareOrdinal(json, at, token, 0, token.Length) == 0;
}
