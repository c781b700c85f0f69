using System.Globalization;

namespace Stepwise.Cli;

/// <summary>
/// Arguments after the mode name: <c>key=value</c> pairs (the form users of the reference CLI know),
/// <c>--key value</c>, <c>--key=value</c>, bare <c>--flag</c> (= true), and positionals. Keys are
/// normalised to snake_case: <c>--data-dir</c> and <c>data_dir=</c> are the same key.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CliArguments(List<string> positionals, Dictionary<string, string> options)
    {
        Positionals = positionals;
        _options = options;
    }

    /// <summary>Words that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Every option, by normalised key.</summary>
    public IReadOnlyDictionary<string, string> Options => _options;

    /// <summary>Parses arguments.</summary>
    /// <param name="args">The words after the mode name.</param>
    /// <returns>The parsed arguments.</returns>
    /// <exception cref="CliUsageException">A key is empty or given twice.</exception>
    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var positionals = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            string key;
            string value;
            if (word.StartsWith("--", StringComparison.Ordinal) && word.Length > 2)
            {
                var body = word[2..];
                var eq = body.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    key = body[..eq];
                    value = body[(eq + 1)..];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && !LooksLikePair(args[i + 1]))
                {
                    key = body;
                    value = args[++i];
                }
                else
                {
                    key = body;
                    value = "true";
                }
            }
            else if (LooksLikePair(word))
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                key = word[..eq];
                value = word[(eq + 1)..];
            }
            else
            {
                positionals.Add(word);
                continue;
            }

            key = Normalize(key);
            if (key.Length == 0)
            {
                throw new CliUsageException($"Empty argument name in '{word}'.");
            }

            if (!options.TryAdd(key, value))
            {
                throw new CliUsageException($"Argument '{key}' is given more than once.");
            }
        }

        return new CliArguments(positionals, options);
    }

    /// <summary>Normalises a key: lower case, dashes to underscores.</summary>
    /// <param name="key">The key as typed.</param>
    /// <returns>The key.</returns>
    public static string Normalize(string key) => key.Trim().ToLowerInvariant().Replace('-', '_');

    /// <summary>True when the key was given.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when present.</returns>
    public bool Has(string key) => _options.ContainsKey(Normalize(key));

    /// <summary>A key's value as text, or null.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, or null when absent.</returns>
    public string? Get(string key)
    {
        key = Normalize(key);
        _used.Add(key);
        return _options.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>A boolean key (<c>true/false/1/0/yes/no</c>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">The value when absent.</param>
    /// <returns>The value.</returns>
    public bool GetBool(string key, bool fallback)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new CliUsageException($"Argument '{Normalize(key)}' must be true or false, got '{text}'."),
        };
    }

    /// <summary>An integer key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">The value when absent.</param>
    /// <returns>The value.</returns>
    public int GetInt(string key, int fallback)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"Argument '{Normalize(key)}' must be a whole number, got '{text}'.");
    }

    /// <summary>A number key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">The value when absent.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string key, double fallback)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CliUsageException($"Argument '{Normalize(key)}' must be a number, got '{text}'.");
    }

    /// <summary>Keys given on the command line that no <c>Get*</c> call asked for.</summary>
    /// <returns>The unused keys, in order.</returns>
    public IReadOnlyList<string> UnusedKeys() => [.. _options.Keys.Where(k => !_used.Contains(k))];

    /// <summary>Throws a usage error when a bare word was given to a mode that takes only key=value pairs.</summary>
    public void RejectPositionals()
    {
        if (Positionals.Count > 0)
        {
            throw new CliUsageException($"Unexpected '{Positionals[0]}': arguments are key=value pairs.");
        }
    }

    /// <summary>Throws a usage error when <paramref name="key"/> is missing.</summary>
    /// <param name="key">The required key.</param>
    /// <param name="example">An example value shown in the error, e.g. <c>&lt;run&gt;/weights/best.safetensors</c>.</param>
    public void Require(string key, string example)
    {
        if (Get(key) is null)
        {
            throw new CliUsageException($"Argument '{key}' is required: {key}={example}.");
        }
    }

    /// <summary>
    /// Throws a usage error when a key was given that the mode does not know, naming close keys.
    /// </summary>
    /// <param name="known">Every key the mode accepts.</param>
    public void RejectUnknown(IEnumerable<string> known)
    {
        var knownList = known.ToList();
        foreach (var key in _options.Keys)
        {
            if (!knownList.Contains(key, StringComparer.Ordinal))
            {
                var close = knownList
                    .OrderBy(k => Distance(k, key))
                    .Where(k => Distance(k, key) <= Math.Max(2, key.Length / 3))
                    .Take(3)
                    .ToList();
                var hint = close.Count > 0 ? $" Did you mean: {string.Join(", ", close)}?" : $" Valid keys: {string.Join(", ", knownList)}.";
                throw new CliUsageException($"Unknown argument '{key}'.{hint}");
            }
        }
    }

    private static bool LooksLikePair(string word)
    {
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && !word.StartsWith('-') && word[..eq].All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.');
    }

    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
