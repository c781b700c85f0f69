using System.Globalization;
using System.Text;
using Stepwise.Dvc.Formatting;
using Stepwise.Imaging;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// report.html and report.md as dvclive renders them with dvc-render: params and metrics tables, one
/// plot per metric .tsv, sklearn and custom plots, then the images.
/// </summary>
internal static partial class ReportRenderer
{
    private const string Scripts = "\n\n    <script src=\"https://cdn.jsdelivr.net/npm/vega@5.20.2\"></script>\n    <script src=\"https://cdn.jsdelivr.net/npm/vega-lite@5.2.0\"></script>\n    <script src=\"https://cdn.jsdelivr.net/npm/vega-embed@6.18.2\"></script>\n    ";

    /// <summary>A plot logged with LogPlot/LogSklearnPlot (or recovered from dvc.yaml on resume).</summary>
    internal sealed record PlotInfo(string Name, string File, IDictionary<string, object?> Config, string? SklearnKind, bool IsSklearn);

    /// <summary>Inputs of one render.</summary>
    internal sealed record Inputs(
        string Dir,
        IDictionary<string, object?>? Params,
        IDictionary<string, object?>? Metrics,
        IReadOnlyList<PlotInfo> Plots);

    private static string DivId(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(" !@#$%^&*()[]{};,<>?\\/:.|`~=_+".Contains(c, StringComparison.Ordinal) ? '_' : c);
        }

        return builder.ToString();
    }

    private static List<(string Path, string Rel)> MetricFiles(string dir)
    {
        var metrics = Path.Combine(dir, "plots", "metrics");
        if (!Directory.Exists(metrics))
        {
            return [];
        }

        return Directory.EnumerateFiles(metrics, "*.tsv", SearchOption.AllDirectories)
            .Select(f => (f, Path.GetRelativePath(metrics, f).Replace('\\', '/')[..^4]))
            .OrderBy(f => f.Item2, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Images under plots/images ordered by folder, integer stems numerically first, then names.</summary>
    public static List<(string Path, string Rel)> ImageFiles(string dir)
    {
        var images = Path.Combine(dir, "plots", "images");
        if (!Directory.Exists(images))
        {
            return [];
        }

        return Directory.EnumerateFiles(images, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal)
                || f.EndsWith(".jpeg", StringComparison.Ordinal) || f.EndsWith(".gif", StringComparison.Ordinal))
            .Select(f => (f, Path.GetRelativePath(images, f).Replace('\\', '/')))
            .OrderBy(f => Path.GetDirectoryName(f.Item2) ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(f => long.TryParse(Path.GetFileNameWithoutExtension(f.Item2), NumberStyles.None, CultureInfo.InvariantCulture, out _) ? 0 : 1)
            .ThenBy(f => long.TryParse(Path.GetFileNameWithoutExtension(f.Item2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .ThenBy(f => Path.GetFileName(f.Item2), StringComparer.Ordinal)
            .ToList();
    }

    private static List<object?> TsvRows(string path) =>
        MetricTsvWriter.ReadRows(path).Select(row =>
        {
            var values = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in row)
            {
                values[key] = value;
            }

            values["rev"] = "workspace";
            return (object?)values;
        }).ToList();

    private static List<object?>? PlotRows(PlotInfo plot)
    {
        if (!File.Exists(plot.File))
        {
            return null;
        }

        // Python's JSON allows the bare NaN/Infinity tokens; Vega gets null for them.
        var data = JsonValues.Load(NonFiniteToken().Replace(File.ReadAllText(plot.File), "null"));
        if (data is IDictionary<string, object?> map && plot.SklearnKind is { } kind && map.TryGetValue(kind, out var inner))
        {
            data = inner;
        }
        else if (data is IDictionary<string, object?> { Count: 1 } single)
        {
            data = single.Values.First();
        }

        if (data is not List<object?> rows)
        {
            return null;
        }

        return rows.Select(r =>
        {
            if (r is OrderedDictionary<string, object?> row)
            {
                var copy = new OrderedDictionary<string, object?>(row, StringComparer.Ordinal) { ["rev"] = "workspace" };
                return (object?)copy;
            }

            return r;
        }).ToList();
    }

    private static string? Text(IDictionary<string, object?> config, string key) => config.TryGetValue(key, out var v) ? v as string : null;

    private static string YField(IDictionary<string, object?> config) => config.TryGetValue("y", out var y) switch
    {
        true when y is string s => s,
        true when y is List<object?> { Count: > 0 } list => list[0] as string ?? string.Empty,
        _ => string.Empty,
    };

    /// <summary>The html report.</summary>
    public static string Html(Inputs inputs)
    {
        var divs = new List<string>();
        var anyVega = false;
        foreach (var (name, data) in new[] { ("params.yaml", inputs.Params), ("metrics.json", inputs.Metrics) })
        {
            if (data is null)
            {
                continue;
            }

            var id = DivId(name);
            divs.Add($"\n        <div id=\"{id}\" style=\"text-align: center; padding: 10x\">\n            <p>{id}</p>\n            <div style=\"display: flex;justify-content: center;\">\n                {Tabulate.Html(Tabulate.Flatten(data))}\n            </div>\n        </div>");
        }

        foreach (var (path, rel) in MetricFiles(inputs.Dir))
        {
            var leaf = rel[(rel.LastIndexOf('/') + 1)..];
            var spec = VegaTemplates.Render("linear", TsvRows(path), "step", leaf, rel, null, null);
            divs.Add(VegaDiv("static_" + DivId(rel), spec));
            anyVega = true;
        }

        foreach (var plot in inputs.Plots.Where(p => p.IsSklearn).Concat(inputs.Plots.Where(p => !p.IsSklearn)))
        {
            var template = Text(plot.Config, "template");
            var rows = PlotRows(plot);
            if (rows is null || !VegaTemplates.IsKnown(template))
            {
                continue;
            }

            var x = Text(plot.Config, "x") ?? "step";
            var spec = VegaTemplates.Render(template, rows, x, YField(plot.Config), Text(plot.Config, "title") ?? string.Empty, Text(plot.Config, "x_label"), Text(plot.Config, "y_label"));
            divs.Add(VegaDiv(DivId(plot.Name), spec));
            anyVega = true;
        }

        foreach (var (path, rel) in ImageFiles(inputs.Dir))
        {
            var src = "data:image;base64," + Convert.ToBase64String(File.ReadAllBytes(path));
            divs.Add($"\n        <div\n            id=\"{DivId(rel)}\"\n            style=\"border:1px solid black;text-align:center;\n            white-space: nowrap;overflow-y:hidden;\">\n            <p>{rel}</p>\n\n                <div\n                    style=\"border:1px dotted black;margin:2px;display:\n                    inline-block;\n                    overflow:hidden;margin-left:8px;\">\n                    <p>{rel}</p>\n                    <img src=\"{src}\">\n                </div>\n                \n        </div>");
        }

        return "<!DOCTYPE html>\n<html>\n<head>\n    <meta http-equiv=\"refresh\" content=\"5\">\n    <title>DVC Plot</title>\n    "
            + (anyVega ? Scripts : string.Empty)
            + "\n    <style>\n        table {\n            border-spacing: 15px;\n        }\n    </style>\n</head>\n<body>\n    "
            + string.Join('\n', divs)
            + "\n</body>\n</html>";
    }

    private static string VegaDiv(string id, object? spec) =>
        $"\n    <div id = \"{id}\">\n        <script type = \"text/javascript\">\n            var spec = {VegaTemplates.ToJson(spec)};\n            vegaEmbed('#{id}', spec);\n        </script>\n    </div>\n    ";

    /// <summary>The markdown report; renders the metric plots to <c>static/*.png</c>. Returns the text and the names of skipped plots.</summary>
    public static (string Text, List<string> Skipped) Markdown(Inputs inputs)
    {
        var elements = new List<string>();
        var skipped = new List<string>();
        foreach (var (name, data) in new[] { ("params.yaml", inputs.Params), ("metrics.json", inputs.Metrics) })
        {
            if (data is not null)
            {
                elements.Add($"\n{name}\n\n{Tabulate.Github(Tabulate.Flatten(data))}");
            }
        }

        foreach (var (path, rel) in MetricFiles(inputs.Dir))
        {
            var output = Path.Combine(inputs.Dir, "static", rel + ".png");
            var leaf = rel[(rel.LastIndexOf('/') + 1)..];
            RenderLinePng(MetricTsvWriter.ReadRows(path), "step", leaf, output);
            elements.Add($"\n![static/{rel}](static/{rel}.png)");
        }

        foreach (var (path, rel) in ImageFiles(inputs.Dir))
        {
            var mime = Path.GetExtension(rel) switch
            {
                ".png" => "image/png",
                ".gif" => "image/gif",
                _ => "image/jpeg",
            };
            elements.Add($"\n![{rel}](data:{mime};base64,{Convert.ToBase64String(File.ReadAllBytes(path))})");
        }

        foreach (var plot in inputs.Plots.Where(p => p.IsSklearn).Concat(inputs.Plots.Where(p => !p.IsSklearn)))
        {
            var template = Text(plot.Config, "template");
            if (plot.IsSklearn || (template is not null && template != "linear"))
            {
                skipped.Add(plot.Name);
                elements.Add(string.Empty);
                continue;
            }

            var rows = PlotRows(plot);
            if (rows is null)
            {
                continue;
            }

            var x = Text(plot.Config, "x") ?? "step";
            var y = YField(plot.Config);
            var output = Path.Combine(Path.GetDirectoryName(plot.File)!, Path.GetFileNameWithoutExtension(plot.File) + ".png");
            var table = rows.OfType<IDictionary<string, object?>>()
                .Select(r => (IReadOnlyDictionary<string, string>)r.ToDictionary(p => p.Key, p => PyFormat.Str(p.Value), StringComparer.Ordinal))
                .ToList();
            RenderLinePng(table, x, y, output);
            var rel = Path.GetRelativePath(inputs.Dir, output).Replace('\\', '/');
            elements.Add($"\n![{rel}]({rel})");
        }

        return ("# DVC Report\n" + string.Join('\n', elements) + "\n", skipped);
    }

    private static void RenderLinePng(IEnumerable<IReadOnlyDictionary<string, string>> rows, string x, string y, string output)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var row in rows)
        {
            if (row.TryGetValue(x, out var xt) && row.TryGetValue(y, out var yt)
                && double.TryParse(xt, NumberStyles.Float, CultureInfo.InvariantCulture, out var xv)
                && double.TryParse(yt, NumberStyles.Float, CultureInfo.InvariantCulture, out var yv))
            {
                xs.Add(xv);
                ys.Add(yv);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var image = Charts.Results([(y, ys)], xs);
        AtomicFile.WriteBytes(output, Png.Encode(image));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=[\[:,]\s*)(-?Infinity|NaN)(?=\s*[,\]\}])")]
    private static partial System.Text.RegularExpressions.Regex NonFiniteToken();
}
