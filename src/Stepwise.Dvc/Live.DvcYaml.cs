using System.Text;
using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    private bool _dvcYamlDirty = true;
    private string? _lastDvcYamlText;
    private (long Length, DateTime Modified) _lastDvcYamlStamp;
    private bool _metricsDirSeen;
    private bool _lastHasMetrics;

    /// <summary>
    /// Writes dvc.yaml: a fresh file, or a merge into the existing one that replaces only the entries
    /// under the Live folder and keeps everything else (stages, the user's entries, comments).
    /// </summary>
    public void MakeDvcYaml()
    {
        if (_dvcYamlFull is null)
        {
            return;
        }

        _dvcYamlDirty = true;
        WriteDvcYaml();
    }

    private void MakeDvcYamlSafe()
    {
        try
        {
            WriteDvcYaml();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            _logger.LogWarning("Error in make_dvcyaml: {Message}", ex.Message);
        }
    }

    private void WriteDvcYaml()
    {
        var path = _dvcYamlFull!;
        if (!_metricsDirSeen && Directory.Exists(Path.Combine(PlotsDir, "metrics")))
        {
            _metricsDirSeen = true;
            _dvcYamlDirty = true;
        }

        var hasMetrics = _metricsLogged || _summary.Count > 0;
        if (hasMetrics != _lastHasMetrics)
        {
            _lastHasMetrics = hasMetrics;
            _dvcYamlDirty = true;
        }

        // Nothing of ours changed since the last write: skip even the stat. A user edit made meanwhile
        // is picked up (and merged) by the next write, which compares the file's stamp first.
        if (!_dvcYamlDirty && _lastDvcYamlText is not null)
        {
            return;
        }

        var info = new FileInfo(path);
        var exists = info.Exists;
        var stamp = exists ? (info.Length, info.LastWriteTimeUtc) : default;
        var unchangedOnDisk = exists && _lastDvcYamlText is not null && stamp == _lastDvcYamlStamp;

        var sections = BuildSections(Path.GetDirectoryName(path)!);
        string text;
        if (exists)
        {
            var existing = unchangedOnDisk ? _lastDvcYamlText! : File.ReadAllText(path, Encoding.UTF8);
            text = DvcYamlWriter.Merge(existing, sections, PrefixSegments(path));
        }
        else
        {
            text = DvcYamlWriter.Fresh(sections);
        }

        if (!unchangedOnDisk || !string.Equals(text, _lastDvcYamlText, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteText(path, text);
            info.Refresh();
            _lastDvcYamlStamp = (info.Length, info.LastWriteTimeUtc);
            _lastDvcYamlText = text;
        }

        _dvcYamlDirty = false;
    }

    private List<string> PrefixSegments(string dvcYamlPath) =>
        DvcYamlWriter.Segments(RelativePosix(Path.GetDirectoryName(dvcYamlPath)!, _dirFull));

    private DvcYamlWriter.Sections BuildSections(string dvcYamlDir)
    {
        var sections = new DvcYamlWriter.Sections();
        string Rel(string full) => RelativePosix(dvcYamlDir, full);
        if (_params.Count > 0)
        {
            sections.Params.Add(Rel(ParamsFile));
        }

        if (_metricsLogged || _summary.Count > 0)
        {
            sections.Metrics.Add(Rel(MetricsFile));
        }

        var metricsDir = Path.Combine(PlotsDir, "metrics");
        if (_metricsDirSeen || Directory.Exists(metricsDir))
        {
            sections.Plots.Add(new OrderedDictionary<string, object?>(StringComparer.Ordinal)
            {
                [Rel(metricsDir)] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["x"] = "step" },
            });
        }

        if (_images.Count > 0 || _imagesOnDiskFromResume)
        {
            sections.Plots.Add(Rel(Path.Combine(PlotsDir, "images")));
        }

        foreach (var (_, plot) in _plots)
        {
            sections.Plots.Add(new OrderedDictionary<string, object?>(StringComparer.Ordinal)
            {
                [Rel(Path.Combine(PlotsDir, plot.RelativeFile))] = LiveValues.Clone(plot.Config),
            });
        }

        foreach (var (id, artifact) in _artifacts)
        {
            var entry = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (field, value) in artifact)
            {
                entry[field] = field == "path" ? Rel(Path.Combine(_cwd, (string)value!)) : LiveValues.Clone(value);
            }

            sections.Artifacts[id] = entry;
        }

        return sections;
    }

    private void LoadForResume()
    {
        if (File.Exists(ParamsFile))
        {
            try
            {
                if (YamlValues.Load(File.ReadAllText(ParamsFile, Encoding.UTF8)) is IDictionary<string, object?> loaded)
                {
                    foreach (var (key, value) in loaded)
                    {
                        _params[key] = value;
                    }
                }
            }
            catch (YamlDotNet.Core.YamlException ex)
            {
                _logger.LogWarning("Could not read {File} to resume ({Message}); starting with no params.", ParamsFile, ex.Message);
            }
        }

        if (File.Exists(MetricsFile))
        {
            try
            {
                _summary = JsonValues.LoadObject(File.ReadAllText(MetricsFile, Encoding.UTF8));
            }
            catch (System.Text.Json.JsonException ex)
            {
                _logger.LogWarning("Could not read {File} to resume ({Message}); starting with an empty summary.", MetricsFile, ex.Message);
            }
        }

        long? lastStep = _summary.TryGetValue("step", out var step) && step is long s ? s : null;
        lastStep = RecoverFromRows(lastStep);
        _step = lastStep is { } last ? last + 1 : 0;
        var images = Path.Combine(PlotsDir, "images");
        _imagesOnDiskFromResume = Directory.Exists(images) && Directory.EnumerateFiles(images, "*", SearchOption.AllDirectories).Any();
        if (_dvcYamlFull is not null && File.Exists(_dvcYamlFull))
        {
            CarryDvcYamlEntries(_dvcYamlFull);
        }
    }

    // Rows are appended at every step, metrics.json may lag behind them (a kill between the two, or
    // SummaryInterval): newer rows update the summary and the step to resume after.
    private long? RecoverFromRows(long? lastStep)
    {
        var metricsDir = Path.Combine(PlotsDir, "metrics");
        if (!Directory.Exists(metricsDir))
        {
            return lastStep;
        }

        var newest = lastStep;
        foreach (var file in Directory.EnumerateFiles(metricsDir, "*.tsv", SearchOption.AllDirectories))
        {
            if (MetricTsvWriter.ReadLastRow(file) is not { } row)
            {
                continue;
            }

            var (rowStep, cell) = row;
            if (lastStep is not null && rowStep <= lastStep)
            {
                continue;
            }

            var name = Path.GetRelativePath(metricsDir, file).Replace('\\', '/')[..^".tsv".Length];
            SetSummaryValue(name.Split('/'), MetricTsvWriter.ParseCell(cell));
            newest = newest is null || rowStep > newest ? rowStep : newest;
        }

        if (newest != lastStep)
        {
            _logger.LogInformation("Resumed from the metric rows up to step {Step} (metrics.json was older).", newest);
        }

        return newest;
    }

    // Resume keeps the custom/sklearn plots and artifacts of the previous run listed (Q4).
    private void CarryDvcYamlEntries(string path)
    {
        IDictionary<string, object?>? document;
        try
        {
            document = YamlValues.Load(File.ReadAllText(path, Encoding.UTF8)) as IDictionary<string, object?>;
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return;
        }

        if (document is null)
        {
            return;
        }

        var dvcYamlDir = Path.GetDirectoryName(path)!;
        var prefix = PrefixSegments(path);
        if (document.TryGetValue("plots", out var plots) && plots is List<object?> plotList)
        {
            foreach (var item in plotList)
            {
                if (item is not IDictionary<string, object?> { Count: 1 } map)
                {
                    continue;
                }

                var (entryPath, config) = map.First();
                if (!DvcYamlWriter.IsUnder(entryPath, prefix) || config is not OrderedDictionary<string, object?> configMap)
                {
                    continue;
                }

                var relToPlots = RelativePosix(PlotsDir, Path.GetFullPath(Path.Combine(dvcYamlDir, entryPath)));
                if (!relToPlots.EndsWith(".json", StringComparison.Ordinal))
                {
                    continue;
                }

                string? kind = null;
                string key;
                if (relToPlots.StartsWith("custom/", StringComparison.Ordinal))
                {
                    key = relToPlots["custom/".Length..^".json".Length];
                }
                else if (relToPlots.StartsWith("sklearn/", StringComparison.Ordinal))
                {
                    key = relToPlots["sklearn/".Length..^".json".Length];
                    kind = configMap.TryGetValue("x", out var x) ? x switch
                    {
                        "actual" => "confusion_matrix",
                        "recall" => "precision_recall",
                        "prob_pred" => "calibration",
                        "fpr" when configMap.TryGetValue("y", out var y) && y is "fnr" => "det",
                        _ => "roc",
                    } : null;
                }
                else
                {
                    continue;
                }

                _plots[key] = new PlotEntry(relToPlots, configMap, kind, Carried: true);
            }
        }

        if (document.TryGetValue("artifacts", out var artifacts) && artifacts is IDictionary<string, object?> artifactMap)
        {
            foreach (var (id, value) in artifactMap)
            {
                if (value is OrderedDictionary<string, object?> entry && entry.TryGetValue("path", out var p) && p is string artifactPath
                    && DvcYamlWriter.IsUnder(artifactPath, prefix))
                {
                    var copy = (OrderedDictionary<string, object?>)LiveValues.Clone(entry)!;
                    copy["path"] = RelativePosix(_cwd, Path.GetFullPath(Path.Combine(dvcYamlDir, artifactPath)));
                    _artifacts[id] = copy;
                }
            }
        }
    }
}
