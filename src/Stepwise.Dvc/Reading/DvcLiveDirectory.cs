using System.Globalization;
using System.Text;
using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc.Reading;

/// <summary>
/// Reads what DVCLive (or <see cref="Live"/>) wrote into its folder: <c>params.yaml</c>,
/// <c>metrics.json</c>, the metric TSVs under <c>plots/metrics</c> and the images under
/// <c>plots/images</c>. Values keep their types as the reference loads them (ordered dictionaries,
/// lists, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>, null).
/// </summary>
public sealed class DvcLiveDirectory
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".gif"];

    private DvcLiveDirectory(
        string dir,
        IReadOnlyDictionary<string, object?> parameters,
        IReadOnlyDictionary<string, object?> summary,
        IReadOnlyList<DvcLiveSeries> series,
        IReadOnlyList<DvcLiveImage> images)
    {
        Dir = dir;
        Params = parameters;
        Summary = summary;
        Series = series;
        Images = images;
    }

    /// <summary>The folder (full path).</summary>
    public string Dir { get; }

    /// <summary>The params from <c>params.yaml</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, object?> Params { get; }

    /// <summary>The summary from <c>metrics.json</c>, nested as written (empty when absent).</summary>
    public IReadOnlyDictionary<string, object?> Summary { get; }

    /// <summary>The <c>step</c> recorded in <c>metrics.json</c>, when there is one.</summary>
    public long? Step => Summary.TryGetValue("step", out var step) && step is long s ? s : null;

    /// <summary>The metric series, ordered by name.</summary>
    public IReadOnlyList<DvcLiveSeries> Series { get; }

    /// <summary>The images, ordered by name.</summary>
    public IReadOnlyList<DvcLiveImage> Images { get; }

    /// <summary>
    /// The folder DVCLive wrote when <paramref name="path"/> is one (it holds <c>metrics.json</c>,
    /// <c>params.yaml</c> or <c>plots</c>) or contains one named <c>dvclive</c>; otherwise null.
    /// </summary>
    /// <param name="path">A folder.</param>
    /// <returns>The DVCLive folder, or null.</returns>
    public static string? Locate(string path)
    {
        if (!Directory.Exists(path))
        {
            return null;
        }

        static bool Looks(string dir) =>
            File.Exists(Path.Combine(dir, "metrics.json")) || File.Exists(Path.Combine(dir, "params.yaml"))
            || Directory.Exists(Path.Combine(dir, "plots", "metrics")) || Directory.Exists(Path.Combine(dir, "plots", "images"));

        if (Looks(path))
        {
            return Path.GetFullPath(path);
        }

        var nested = Path.Combine(path, "dvclive");
        return Directory.Exists(nested) && Looks(nested) ? Path.GetFullPath(nested) : null;
    }

    /// <summary>Reads a DVCLive folder.</summary>
    /// <param name="dir">The folder (the one holding <c>metrics.json</c>).</param>
    /// <returns>What it holds.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DvcLiveFormatException">A file cannot be parsed (the message names it and the line).</exception>
    public static DvcLiveDirectory Read(string dir)
    {
        dir = Path.GetFullPath(dir);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"DVCLive folder {dir} does not exist.");
        }

        var parameters = ReadParams(Path.Combine(dir, "params.yaml"));
        var summary = ReadSummary(Path.Combine(dir, "metrics.json"));
        var series = new List<DvcLiveSeries>();
        var metricsDir = Path.Combine(dir, "plots", "metrics");
        if (Directory.Exists(metricsDir))
        {
            foreach (var file in Directory.EnumerateFiles(metricsDir, "*.tsv", SearchOption.AllDirectories))
            {
                var name = Path.GetRelativePath(metricsDir, file).Replace('\\', '/')[..^".tsv".Length];
                series.Add(new DvcLiveSeries(name, ReadTsv(file)));
            }
        }

        var images = new List<DvcLiveImage>();
        var imagesDir = Path.Combine(dir, "plots", "images");
        if (Directory.Exists(imagesDir))
        {
            foreach (var file in Directory.EnumerateFiles(imagesDir, "*", SearchOption.AllDirectories))
            {
                if (!ImageExtensions.Contains(Path.GetExtension(file), StringComparer.Ordinal))
                {
                    continue;
                }

                var name = Path.GetRelativePath(imagesDir, file).Replace('\\', '/');
                var step = name.Contains('/', StringComparison.Ordinal)
                    && long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                images.Add(new DvcLiveImage(name, step, file));
            }
        }

        return new DvcLiveDirectory(
            dir,
            parameters,
            summary,
            [.. series.OrderBy(s => s.Name, StringComparer.Ordinal)],
            [.. images.OrderBy(i => i.Name, StringComparer.Ordinal)]);
    }

    /// <summary>The numeric leaves of <see cref="Summary"/> with '/'-joined names (<c>train/acc</c>), without <c>step</c>.</summary>
    /// <returns>Name → value (booleans, text and non-finite values left out).</returns>
    public IReadOnlyList<KeyValuePair<string, double>> NumericSummary()
    {
        var result = new List<KeyValuePair<string, double>>();
        Flatten(Summary, string.Empty, result);
        return result;

        static void Flatten(IEnumerable<KeyValuePair<string, object?>> map, string prefix, List<KeyValuePair<string, double>> into)
        {
            foreach (var (key, value) in map)
            {
                if (prefix.Length == 0 && key == "step")
                {
                    continue;
                }

                switch (value)
                {
                    case IEnumerable<KeyValuePair<string, object?>> nested:
                        Flatten(nested, prefix + key + "/", into);
                        break;
                    case long l:
                        into.Add(new(prefix + key, l));
                        break;
                    case double d when double.IsFinite(d):
                        into.Add(new(prefix + key, d));
                        break;
                    default:
                        break;
                }
            }
        }
    }

    private static Dictionary<string, object?> ReadParams(string path)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        object? loaded;
        try
        {
            loaded = YamlValues.Load(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new DvcLiveFormatException($"{path}:{ex.Start.Line}: not valid YAML ({ex.Message})", ex);
        }

        switch (loaded)
        {
            case null:
                return result;
            case IEnumerable<KeyValuePair<string, object?>> map:
                foreach (var (key, value) in map)
                {
                    result[key] = value;
                }

                return result;
            default:
                throw new DvcLiveFormatException($"{path}: expected a mapping of param names to values.");
        }
    }

    private static Dictionary<string, object?> ReadSummary(string path)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        try
        {
            foreach (var (key, value) in JsonValues.LoadObject(File.ReadAllText(path, Encoding.UTF8)))
            {
                result[key] = value;
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new DvcLiveFormatException($"{path}:{(ex.LineNumber ?? 0) + 1}: not valid JSON ({ex.Message.Split(" Path:")[0]})", ex);
        }

        return result;
    }

    private static List<DvcLivePoint> ReadTsv(string path)
    {
        var points = new List<DvcLivePoint>();
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine();
        if (header is null)
        {
            return points;
        }

        var columns = header.Split('\t');
        var stepColumn = Array.IndexOf(columns, "step");
        var timestampColumn = Array.IndexOf(columns, "timestamp");
        var valueColumn = Enumerable.Range(0, columns.Length).LastOrDefault(i => i != stepColumn && i != timestampColumn, -1);
        if (stepColumn < 0 || valueColumn < 0)
        {
            throw new DvcLiveFormatException($"{path}:1: expected a header with a 'step' column and a value column, got '{header}'.");
        }

        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var cells = text.Split('\t');
            if (cells.Length != columns.Length)
            {
                throw new DvcLiveFormatException($"{path}:{line}: expected {columns.Length} tab-separated cells, got {cells.Length}.");
            }

            if (!long.TryParse(cells[stepColumn], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var step))
            {
                throw new DvcLiveFormatException($"{path}:{line}: step '{cells[stepColumn]}' is not a whole number.");
            }

            var value = MetricTsvWriter.ParseCell(cells[valueColumn]) switch
            {
                long l => l,
                double d => d,
                bool b => b ? 1 : 0,
                "nan" => double.NaN,
                "inf" => double.PositiveInfinity,
                "-inf" => double.NegativeInfinity,
                var other => throw new DvcLiveFormatException($"{path}:{line}: value '{other}' is not a number."),
            };
            long? timestamp = timestampColumn >= 0 && long.TryParse(cells[timestampColumn], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
            points.Add(new DvcLivePoint(step, value, timestamp));
        }

        return points;
    }
}
