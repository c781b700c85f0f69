using System.Globalization;

namespace Stepwise.Engine;

/// <summary>
/// Every argument of a training or validation run, resolved from defaults and overrides. Keys are
/// snake_case as in <c>args.yaml</c>; unknown keys and wrong values are rejected with the key named.
/// </summary>
public sealed class TrainArgs
{
    // Key, type, default, help. Order is irrelevant: args.yaml and the console list keys sorted.
    private static readonly (string Key, Type Type, object? Default, string Help)[] Definitions =
    [
        ("task", typeof(string), "classify", "Task; only classify is built in."),
        ("mode", typeof(string), "train", "train or val."),
        ("model", typeof(string), null, "Checkpoint (.safetensors) to start from / validate / resume; empty = a new MLP."),
        ("data", typeof(string), "shapes", "Dataset: shapes, shapes:<seed>, an image folder (train/, val/) or a .csv file."),
        ("epochs", typeof(int), 8, "Number of epochs."),
        ("patience", typeof(int), 100, "Epochs without improvement before early stopping (0 = off)."),
        ("batch", typeof(int), 32, "Batch size."),
        ("imgsz", typeof(int), 28, "Image side in pixels."),
        ("fraction", typeof(double), 1.0, "Fraction of the training split to use."),
        ("hidden", typeof(string), "256,128", "Hidden layer widths, comma separated."),
        ("dropout", typeof(double), 0.0, "Dropout probability after each hidden layer."),
        ("optimizer", typeof(string), "auto", "SGD, AdamW or auto (AdamW with lr0=0.001 and momentum 0.9)."),
        ("lr0", typeof(double), 0.01, "Initial learning rate (ignored by optimizer=auto)."),
        ("lrf", typeof(double), 0.01, "Final learning rate as a fraction of lr0."),
        ("momentum", typeof(double), 0.937, "SGD momentum / AdamW beta1 (ignored by optimizer=auto)."),
        ("nesterov", typeof(bool), true, "Nesterov momentum for SGD."),
        ("weight_decay", typeof(double), 0.0005, "Weight decay of pg0 (weights)."),
        ("warmup_epochs", typeof(double), 1.0, "Warm-up length in epochs (fractions allowed)."),
        ("warmup_momentum", typeof(double), 0.8, "Momentum at the start of warm-up."),
        ("warmup_bias_lr", typeof(double), 0.1, "Bias learning rate at the start of warm-up."),
        ("cos_lr", typeof(bool), false, "Cosine instead of linear decay."),
        ("seed", typeof(int), 0, "Seed of initialisation, shuffling and dropout."),
        ("deterministic", typeof(bool), true, "Results are bit-identical for a seed (always true for this engine)."),
        ("threads", typeof(int), 0, "Compute threads (0 = all cores). 'workers' is accepted as an alias."),
        ("project", typeof(string), null, "Parent of the run directory (default <runs_dir>/<task>)."),
        ("name", typeof(string), null, "Run directory name (default train / val, then train2, train3 …)."),
        ("exist_ok", typeof(bool), false, "Reuse an existing run directory instead of incrementing the name."),
        ("save", typeof(bool), true, "Save checkpoints."),
        ("save_period", typeof(int), -1, "Also save weights/epoch<N>.safetensors every N epochs (-1 = off)."),
        ("val", typeof(bool), true, "Validate every epoch (the last epoch is always validated)."),
        ("plots", typeof(bool), true, "Write plots (results, confusion matrices, batch mosaics)."),
        ("resume", typeof(bool), false, "Resume the run of model=<…/weights/last.safetensors>."),
        ("verbose", typeof(bool), true, "Console output."),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal) { ["workers"] = "threads" };

    private readonly SortedDictionary<string, object?> _values;

    private TrainArgs(SortedDictionary<string, object?> values) => _values = values;

    /// <summary>All defaults.</summary>
    public static TrainArgs Default => Parse(new Dictionary<string, string>());

    /// <summary>Every known key with its help text.</summary>
    public static IReadOnlyList<(string Key, string Default, string Help)> Keys =>
        [.. Definitions.Select(d => (d.Key, FormatValue(d.Default), d.Help))];

    /// <summary>Task (classify).</summary>
    public string Task => Str("task")!;

    /// <summary>train or val.</summary>
    public string Mode => Str("mode")!;

    /// <summary>Checkpoint path, or null.</summary>
    public string? Model => Str("model");

    /// <summary>Dataset source.</summary>
    public string Data => Str("data")!;

    /// <summary>Number of epochs.</summary>
    public int Epochs => Int("epochs");

    /// <summary>Early-stopping patience.</summary>
    public int Patience => Int("patience");

    /// <summary>Batch size.</summary>
    public int Batch => Int("batch");

    /// <summary>Image side.</summary>
    public int ImageSize => Int("imgsz");

    /// <summary>Fraction of the training split used.</summary>
    public double Fraction => Dbl("fraction");

    /// <summary>Hidden widths.</summary>
    public IReadOnlyList<int> Hidden => ParseHidden(Str("hidden") ?? string.Empty);

    /// <summary>Dropout probability.</summary>
    public double Dropout => Dbl("dropout");

    /// <summary>Optimizer name.</summary>
    public string Optimizer => Str("optimizer")!;

    /// <summary>Initial learning rate.</summary>
    public double Lr0 => Dbl("lr0");

    /// <summary>Final lr fraction.</summary>
    public double Lrf => Dbl("lrf");

    /// <summary>Momentum / beta1.</summary>
    public double Momentum => Dbl("momentum");

    /// <summary>Nesterov momentum for SGD.</summary>
    public bool Nesterov => Bool("nesterov");

    /// <summary>Weight decay.</summary>
    public double WeightDecay => Dbl("weight_decay");

    /// <summary>Warm-up epochs.</summary>
    public double WarmupEpochs => Dbl("warmup_epochs");

    /// <summary>Warm-up start momentum.</summary>
    public double WarmupMomentum => Dbl("warmup_momentum");

    /// <summary>Warm-up start bias lr.</summary>
    public double WarmupBiasLr => Dbl("warmup_bias_lr");

    /// <summary>Cosine schedule.</summary>
    public bool CosLr => Bool("cos_lr");

    /// <summary>Seed.</summary>
    public int Seed => Int("seed");

    /// <summary>Threads (0 = all cores).</summary>
    public int Threads => Int("threads");

    /// <summary>Run parent directory, or null.</summary>
    public string? Project => Str("project");

    /// <summary>Run name, or null.</summary>
    public string? Name => Str("name");

    /// <summary>Reuse an existing run directory.</summary>
    public bool ExistOk => Bool("exist_ok");

    /// <summary>Save checkpoints.</summary>
    public bool Save => Bool("save");

    /// <summary>Periodic checkpoint interval.</summary>
    public int SavePeriod => Int("save_period");

    /// <summary>Validate every epoch.</summary>
    public bool Val => Bool("val");

    /// <summary>Write plots.</summary>
    public bool Plots => Bool("plots");

    /// <summary>Resume a run.</summary>
    public bool Resume => Bool("resume");

    /// <summary>Console output.</summary>
    public bool Verbose => Bool("verbose");

    /// <summary>The value of a key (typed: string, int, double, bool or null).</summary>
    /// <param name="key">snake_case key.</param>
    public object? this[string key] => _values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"No argument '{key}'.");

    /// <summary>
    /// Resolves arguments from text overrides. Keys in <paramref name="ignore"/> (e.g. settings keys
    /// handled elsewhere) are skipped; any other unknown key or unparsable value is an error.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown key or bad value; the message names both.</exception>
    public static TrainArgs Parse(IReadOnlyDictionary<string, string> overrides, IEnumerable<string>? ignore = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var ignored = new HashSet<string>(ignore ?? [], StringComparer.Ordinal);
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var d in Definitions)
        {
            values[d.Key] = d.Default;
        }

        foreach (var (rawKey, text) in overrides)
        {
            string key = rawKey.Trim().ToLowerInvariant().Replace('-', '_');
            if (ignored.Contains(key))
            {
                continue;
            }

            if (Aliases.TryGetValue(key, out var target))
            {
                key = target;
            }

            var def = Definitions.FirstOrDefault(d => d.Key == key);
            if (def.Key is null)
            {
                var close = Definitions.Select(d => d.Key).Where(k => Distance(k, key) <= 2).ToList();
                string hint = close.Count > 0 ? $" Did you mean {string.Join(" or ", close)}?" : string.Empty;
                throw new ArgumentException($"Unknown argument '{rawKey}'.{hint}");
            }

            values[key] = ParseValue(def.Key, def.Type, text);
        }

        var args = new TrainArgs(values);
        args.Validate();
        return args;
    }

    /// <summary>Resolves arguments from typed values (as stored in a checkpoint), then applies text overrides.</summary>
    public static TrainArgs FromValues(IReadOnlyDictionary<string, object?> stored, IReadOnlyDictionary<string, string> overrides, IEnumerable<string>? ignore = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in stored)
        {
            if (Definitions.Any(d => d.Key == k) && v is not null)
            {
                merged[k] = FormatValue(v);
            }
        }

        foreach (var (k, v) in overrides)
        {
            merged[k] = v;
        }

        return Parse(merged, ignore);
    }

    /// <summary>A copy with some values replaced.</summary>
    public TrainArgs With(params (string Key, object? Value)[] changes)
    {
        var values = new SortedDictionary<string, object?>(_values, StringComparer.Ordinal);
        foreach (var (k, v) in changes)
        {
            if (!values.ContainsKey(k))
            {
                throw new ArgumentException($"Unknown argument '{k}'.");
            }

            values[k] = v;
        }

        var args = new TrainArgs(values);
        args.Validate();
        return args;
    }

    /// <summary>Every resolved argument, sorted by key.</summary>
    public IReadOnlyDictionary<string, object?> ToDictionary() => new SortedDictionary<string, object?>(_values, StringComparer.Ordinal);

    /// <summary>Formats a value as the console and args.yaml show it (<c>True</c>/<c>False</c> like the reference, <c>None</c> for null).</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    internal static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }

    private static object? ParseValue(string key, Type type, string text)
    {
        string t = text.Trim();
        if (type == typeof(string))
        {
            return t.Length == 0 || t is "None" or "none" or "null" ? null : t;
        }

        if (type == typeof(int))
        {
            return int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)
                ? i
                : throw new ArgumentException($"Argument {key}={text}: expected an integer.");
        }

        if (type == typeof(double))
        {
            return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                ? d
                : throw new ArgumentException($"Argument {key}={text}: expected a number.");
        }

        return t.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new ArgumentException($"Argument {key}={text}: expected true or false."),
        };
    }

    private static List<int> ParseHidden(string text)
    {
        var result = new List<int>();
        foreach (var part in text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int w) || w < 1)
            {
                throw new ArgumentException($"Argument hidden={text}: expected positive integers separated by commas.");
            }

            result.Add(w);
        }

        return result;
    }

    private void Validate()
    {
        Require(Epochs >= 1, "epochs", "must be at least 1");
        Require(Batch >= 1, "batch", "must be at least 1");
        Require(ImageSize >= 8, "imgsz", "must be at least 8");
        Require(Fraction is > 0 and <= 1, "fraction", "must be in (0, 1]");
        Require(Dropout is >= 0 and < 1, "dropout", "must be in [0, 1)");
        Require(Lr0 > 0, "lr0", "must be positive");
        Require(Lrf > 0, "lrf", "must be positive");
        Require(Momentum is >= 0 and < 1, "momentum", "must be in [0, 1)");
        Require(WeightDecay >= 0, "weight_decay", "must not be negative");
        Require(WarmupEpochs >= 0, "warmup_epochs", "must not be negative");
        Require(Threads >= 0, "threads", "must not be negative");
        Require(Task == "classify", "task", "only 'classify' is built in");
        Require(Optimizer.ToLowerInvariant() is "sgd" or "adamw" or "auto", "optimizer", "must be SGD, AdamW or auto");
        _ = Hidden;
    }

    private void Require(bool ok, string key, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException($"Argument {key}={FormatValue(_values[key])}: {problem}.");
        }
    }

    private string? Str(string key) => (string?)_values[key];

    private int Int(string key) => Convert.ToInt32(_values[key], CultureInfo.InvariantCulture);

    private double Dbl(string key) => Convert.ToDouble(_values[key], CultureInfo.InvariantCulture);

    private bool Bool(string key) => (bool)_values[key]!;
}
