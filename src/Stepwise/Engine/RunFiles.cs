using System.Globalization;
using System.Text;

namespace Stepwise.Engine;

/// <summary>Run-directory conventions shared by the trainer and validator.</summary>
internal static class RunFiles
{
    /// <summary><c>dir/name</c>, then <c>name2</c>, <c>name3</c> … unless <paramref name="existOk"/>.</summary>
    public static string IncrementPath(string parent, string name, bool existOk)
    {
        string path = Path.Combine(parent, name);
        if (existOk || !Directory.Exists(path))
        {
            return path;
        }

        for (int n = 2; ; n++)
        {
            string candidate = path + n.ToString(CultureInfo.InvariantCulture);
            if (!Directory.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Python's <c>%.6g</c>: up to 6 significant digits, exponent as <c>e-05</c>.</summary>
    public static string G6(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        string s = value.ToString("G6", CultureInfo.InvariantCulture);
        return s.Replace("E", "e", StringComparison.Ordinal);
    }

    /// <summary>YAML for args.yaml: one <c>key: value</c> per line, strings quoted only when needed.</summary>
    public static string ArgsYaml(IReadOnlyDictionary<string, object?> args)
    {
        var sb = new StringBuilder();
        foreach (var (key, value) in args)
        {
            sb.Append(key).Append(": ").Append(YamlScalar(value)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Writes a text file through a temporary file and rename.</summary>
    public static void WriteAtomic(string path, string text)
    {
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }

    private static string YamlScalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s when NeedsQuotes(s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };

    private static bool NeedsQuotes(string s) =>
        s.Length == 0
        || s.Any(c => c is ':' or '#' or '\'' or '"' or '{' or '}' or '[' or ']' or ',' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`')
        || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])
        || s is "true" or "false" or "null" or "yes" or "no" or "on" or "off" or "~"
        || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
