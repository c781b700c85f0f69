using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// The Vega-Lite plot templates DVC renders (dvc-render 1.0 layout) and their anchor filling, as the
/// html report embeds them.
/// </summary>
internal static class VegaTemplates
{
    private const string Schema = "\"$schema\": \"https://vega.github.io/schema/vega-lite/v5.json\", \"data\": {\"values\": \"<DVC_METRIC_DATA>\"}, \"title\": {\"text\": \"<DVC_METRIC_TITLE>\", \"anchor\": \"middle\"}";

    private const string Linear = "{" + Schema + ", \"width\": \"<DVC_METRIC_PLOT_WIDTH>\", \"height\": \"<DVC_METRIC_PLOT_HEIGHT>\", "
        + "\"params\": [{\"name\": \"smooth\", \"value\": 0.001, \"bind\": {\"input\": \"range\", \"min\": 0.001, \"max\": 1, \"step\": 0.001}}], "
        + "\"encoding\": {\"x\": {\"field\": \"<DVC_METRIC_X>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_X_LABEL>\"}, \"color\": \"<DVC_METRIC_COLOR>\", \"strokeDash\": \"<DVC_METRIC_STROKE_DASH>\"}, "
        + "\"layer\": [{\"layer\": [{\"params\": [\"<DVC_METRIC_ZOOM_AND_PAN>\"], \"mark\": \"line\"}, {\"transform\": [{\"filter\": {\"param\": \"hover\", \"empty\": false}}], \"mark\": \"point\"}], "
        + "\"encoding\": {\"y\": {\"field\": \"<DVC_METRIC_Y>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_Y_LABEL>\", \"scale\": {\"zero\": false}}, \"color\": {\"field\": \"rev\", \"type\": \"nominal\"}}, "
        + "\"transform\": [{\"loess\": \"<DVC_METRIC_Y>\", \"on\": \"<DVC_METRIC_X>\", \"groupby\": \"<DVC_METRIC_GROUP_BY>\", \"bandwidth\": {\"signal\": \"smooth\"}}]}, "
        + "{\"mark\": {\"type\": \"line\", \"opacity\": 0.2}, \"encoding\": {\"x\": {\"field\": \"<DVC_METRIC_X>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_X_LABEL>\"}, \"y\": {\"field\": \"<DVC_METRIC_Y>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_Y_LABEL>\", \"scale\": {\"zero\": false}}, \"color\": {\"field\": \"rev\", \"type\": \"nominal\"}}}, "
        + "{\"mark\": {\"type\": \"circle\", \"size\": 10}, \"encoding\": {\"x\": {\"aggregate\": \"max\", \"field\": \"<DVC_METRIC_X>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_X_LABEL>\"}, \"y\": {\"aggregate\": {\"argmax\": \"<DVC_METRIC_X>\"}, \"field\": \"<DVC_METRIC_Y>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_Y_LABEL>\", \"scale\": {\"zero\": false}}, \"color\": {\"field\": \"rev\", \"type\": \"nominal\"}}}, "
        + "{\"transform\": [{\"calculate\": \"<DVC_METRIC_PIVOT_FIELD>\", \"as\": \"pivot_field\"}, {\"pivot\": \"pivot_field\", \"op\": \"mean\", \"value\": \"<DVC_METRIC_Y>\", \"groupby\": [\"<DVC_METRIC_X>\"]}], "
        + "\"mark\": {\"type\": \"rule\", \"tooltip\": {\"content\": \"data\"}, \"stroke\": \"grey\"}, \"encoding\": {\"opacity\": {\"condition\": {\"value\": 0.3, \"param\": \"hover\", \"empty\": false}, \"value\": 0}}, "
        + "\"params\": [{\"name\": \"hover\", \"select\": {\"type\": \"point\", \"fields\": [\"<DVC_METRIC_X>\"], \"nearest\": true, \"on\": \"mouseover\", \"clear\": \"mouseout\"}}]}]}";

    private const string Simple = "{" + Schema + ", \"params\": [\"<DVC_METRIC_ZOOM_AND_PAN>\"], \"width\": \"<DVC_METRIC_PLOT_WIDTH>\", \"height\": \"<DVC_METRIC_PLOT_HEIGHT>\", "
        + "\"mark\": {\"type\": \"line\", \"tooltip\": {\"content\": \"data\"}}, "
        + "\"encoding\": {\"x\": {\"field\": \"<DVC_METRIC_X>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_X_LABEL>\"}, \"y\": {\"field\": \"<DVC_METRIC_Y>\", \"type\": \"quantitative\", \"title\": \"<DVC_METRIC_Y_LABEL>\", \"scale\": {\"zero\": false}}, "
        + "\"color\": \"<DVC_METRIC_COLOR>\", \"strokeDash\": \"<DVC_METRIC_STROKE_DASH>\", \"tooltip\": \"<DVC_METRIC_TOOLTIP>\"}}";

    private const string ConfusionHead = "{" + Schema + ", \"facet\": {\"column\": {\"field\": \"rev\", \"sort\": []}, \"row\": \"<DVC_METRIC_ROW>\"}, ";

    private const string ConfusionAxes = "\"encoding\": {\"x\": {\"field\": \"<DVC_METRIC_X>\", \"type\": \"nominal\", \"sort\": \"ascending\", \"title\": \"<DVC_METRIC_X_LABEL>\"}, \"y\": {\"field\": \"<DVC_METRIC_Y>\", \"type\": \"nominal\", \"sort\": \"ascending\", \"title\": \"<DVC_METRIC_Y_LABEL>\"}}, ";

    private const string SelectionLayer = "{\"selection\": {\"label\": {\"type\": \"single\", \"on\": \"mouseover\", \"encodings\": [\"x\", \"y\"], \"empty\": \"none\", \"clear\": \"mouseout\"}}, \"mark\": \"rect\", \"encoding\": {\"tooltip\": [{\"field\": \"<DVC_METRIC_X>\", \"type\": \"nominal\"}, {\"field\": \"<DVC_METRIC_Y>\", \"type\": \"nominal\"}, ";

    private const string PinkLayer = "{\"transform\": [{\"filter\": {\"selection\": \"label\"}}], \"layer\": [{\"mark\": {\"type\": \"rect\", \"color\": \"lightpink\"}}]}, ";

    private const string Confusion = ConfusionHead + "\"params\": [{\"name\": \"showValues\", \"bind\": {\"input\": \"checkbox\"}}], \"spec\": {\"transform\": ["
        + "{\"aggregate\": [{\"op\": \"count\", \"as\": \"xy_count\"}], \"groupby\": [\"<DVC_METRIC_Y>\", \"<DVC_METRIC_X>\"]}, "
        + "{\"impute\": \"xy_count\", \"groupby\": \"<DVC_METRIC_GROUP_BY_Y>\", \"key\": \"<DVC_METRIC_X>\", \"value\": 0}, "
        + "{\"impute\": \"xy_count\", \"groupby\": \"<DVC_METRIC_GROUP_BY_X>\", \"key\": \"<DVC_METRIC_Y>\", \"value\": 0}, "
        + "{\"joinaggregate\": [{\"op\": \"max\", \"field\": \"xy_count\", \"as\": \"max_count\"}], \"groupby\": []}, "
        + "{\"calculate\": \"datum.xy_count / datum.max_count\", \"as\": \"percent_of_max\"}], " + ConfusionAxes
        + "\"layer\": [{\"mark\": \"rect\", \"width\": \"<DVC_METRIC_PLOT_WIDTH>\", \"height\": \"<DVC_METRIC_PLOT_HEIGHT>\", \"encoding\": {\"color\": {\"field\": \"xy_count\", \"type\": \"quantitative\", \"title\": \"\", \"scale\": {\"domainMin\": 0, \"nice\": true}}}}, "
        + SelectionLayer + "{\"field\": \"xy_count\", \"type\": \"quantitative\"}], \"opacity\": {\"condition\": {\"selection\": \"label\", \"value\": 1}, \"value\": 0}}}, "
        + PinkLayer
        + "{\"mark\": \"text\", \"encoding\": {\"text\": {\"condition\": {\"param\": \"showValues\", \"field\": \"xy_count\", \"type\": \"quantitative\"}}, \"color\": {\"condition\": {\"test\": \"datum.percent_of_max > 0.5\", \"value\": \"white\"}, \"value\": \"black\"}}}]}}";

    private const string ConfusionNormalized = ConfusionHead + "\"spec\": {\"transform\": ["
        + "{\"aggregate\": [{\"op\": \"count\", \"as\": \"xy_count\"}], \"groupby\": [\"<DVC_METRIC_Y>\", \"<DVC_METRIC_X>\"]}, "
        + "{\"impute\": \"xy_count\", \"groupby\": [\"rev\", \"<DVC_METRIC_Y>\"], \"key\": \"<DVC_METRIC_X>\", \"value\": 0}, "
        + "{\"impute\": \"xy_count\", \"groupby\": \"<DVC_METRIC_GROUP_BY_X>\", \"key\": \"<DVC_METRIC_Y>\", \"value\": 0}, "
        + "{\"joinaggregate\": [{\"op\": \"sum\", \"field\": \"xy_count\", \"as\": \"sum_y\"}], \"groupby\": [\"<DVC_METRIC_Y>\"]}, "
        + "{\"calculate\": \"datum.xy_count / datum.sum_y\", \"as\": \"percent_of_y\"}], " + ConfusionAxes
        + "\"layer\": [{\"mark\": \"rect\", \"width\": \"<DVC_METRIC_PLOT_WIDTH>\", \"height\": \"<DVC_METRIC_PLOT_HEIGHT>\", \"encoding\": {\"color\": {\"field\": \"percent_of_y\", \"type\": \"quantitative\", \"title\": \"\", \"scale\": {\"domain\": [0, 1]}}}}, "
        + SelectionLayer + "{\"field\": \"percent_of_y\", \"type\": \"quantitative\", \"format\": \".2f\"}], \"opacity\": {\"condition\": {\"selection\": \"label\", \"value\": 1}, \"value\": 0}}}, "
        + PinkLayer
        + "{\"mark\": \"text\", \"encoding\": {\"color\": {\"condition\": {\"test\": \"datum.percent_of_y > 0.5\", \"value\": \"white\"}, \"value\": \"black\"}}}]}}";

    /// <summary>True for the templates this renderer knows.</summary>
    public static bool IsKnown(string? name) => name is null or "linear" or "smooth" or "simple" or "confusion" or "confusion_normalized";

    /// <summary>The filled Vega-Lite spec for one plot of the workspace revision.</summary>
    public static object? Render(string? template, List<object?> data, string x, string y, string title, string? xLabel, string? yLabel)
    {
        var text = template switch
        {
            "simple" => Simple,
            "confusion" => Confusion,
            "confusion_normalized" => ConfusionNormalized,
            _ => Linear,
        };
        var anchors = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["<DVC_METRIC_DATA>"] = data,
            ["<DVC_METRIC_TITLE>"] = title,
            ["<DVC_METRIC_X>"] = x,
            ["<DVC_METRIC_Y>"] = y,
            ["<DVC_METRIC_X_LABEL>"] = xLabel ?? x,
            ["<DVC_METRIC_Y_LABEL>"] = yLabel ?? y,
            ["<DVC_METRIC_PLOT_WIDTH>"] = 300L,
            ["<DVC_METRIC_PLOT_HEIGHT>"] = 300L,
            ["<DVC_METRIC_COLOR>"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["field"] = "rev",
                ["scale"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["domain"] = new List<object?> { "workspace" }, ["range"] = new List<object?> { "#945dd6" } },
            },
            ["<DVC_METRIC_STROKE_DASH>"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal),
            ["<DVC_METRIC_ZOOM_AND_PAN>"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["name"] = "grid", ["select"] = "interval", ["bind"] = "scales" },
            ["<DVC_METRIC_GROUP_BY>"] = new List<object?> { "rev" },
            ["<DVC_METRIC_GROUP_BY_X>"] = new List<object?> { "rev", x },
            ["<DVC_METRIC_GROUP_BY_Y>"] = new List<object?> { "rev", y },
            ["<DVC_METRIC_PIVOT_FIELD>"] = "datum.rev",
            ["<DVC_METRIC_ROW>"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal),
            ["<DVC_METRIC_TOOLTIP>"] = new List<object?>
            {
                new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["field"] = "rev" },
                new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["field"] = x },
                new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["field"] = y },
            },
        };
        return Fill(JsonValues.Load(text), anchors);
    }

    private static object? Fill(object? node, Dictionary<string, object?> anchors) => node switch
    {
        string s when anchors.TryGetValue(s, out var value) => value,
        OrderedDictionary<string, object?> map => FillMap(map, anchors),
        List<object?> list => list.Select(item => Fill(item, anchors)).ToList(),
        _ => node,
    };

    private static OrderedDictionary<string, object?> FillMap(OrderedDictionary<string, object?> map, Dictionary<string, object?> anchors)
    {
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            result[key] = Fill(value, anchors);
        }

        return result;
    }

    /// <summary>The compact JSON of a spec (Python <c>json.dumps</c> defaults).</summary>
    public static string ToJson(object? spec) => PyJson.Serialize(spec, indent: null);
}
