using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

/// <summary>
/// A DVCLive-compatible logger: writes metrics (.tsv plots and metrics.json), params.yaml, images,
/// custom and scikit-learn-style plots, artifacts, dvc.yaml and an optional report in the same files,
/// byte for byte, as the Python <c>dvclive.Live</c> 3.x, without Python or DVC installed. Experiments
/// are saved with the <c>git</c> command line only. Dispose (or <see cref="End"/>) ends the run like the
/// reference's context manager.
/// </summary>
/// <remarks>
/// State (summary, params, plot configuration, rows already sent to Studio) is kept in memory, so a
/// step costs the same at step 10 and at step 100,000. After every <see cref="NextStep"/> the folder is
/// a complete DVCLive folder: metrics.json, params.yaml and dvc.yaml are replaced atomically, and
/// metric rows are appended whole.
/// </remarks>
public sealed partial class Live : IDisposable, IAsyncDisposable
{
    private readonly LiveOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _cwd;
    private readonly string _dirFull;
    private readonly string? _dvcYamlFull;
    private readonly OrderedDictionary<string, object?> _params = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricTsvWriter> _metrics = new(StringComparer.Ordinal);
    private readonly List<MetricTsvWriter> _metricOrder = [];
    private readonly OrderedDictionary<string, long> _images = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, PlotEntry> _plots = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, OrderedDictionary<string, object?>> _artifacts = new(StringComparer.Ordinal);
    private readonly List<string> _dvcFiles = [];
    private readonly bool _resumed;
    private OrderedDictionary<string, object?> _summary = new(StringComparer.Ordinal);
    private long? _step;
    private long _lastSummaryTimestamp;
    private bool _summaryWritten;
    private bool _metricsLogged;
    private bool _imagesOnDiskFromResume;
    private bool _ended;
    private bool _disposed;

    /// <summary>Starts a run with the default options (folder <c>dvclive</c>, dvc.yaml in the current directory).</summary>
    public Live()
        : this(new LiveOptions())
    {
    }

    /// <summary>Starts a run.</summary>
    /// <param name="options">Construction parameters (reference names and defaults).</param>
    /// <exception cref="InvalidDvcYamlException">The dvcyaml file name is not <c>dvc.yaml</c>.</exception>
    public Live(LiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        _cwd = Path.GetFullPath(options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        _logger = new LevelLogger(options.Logger ?? NullLogger.Instance, GetEnv("DVCLIVE_LOGLEVEL"));
        if (string.IsNullOrWhiteSpace(options.Dir))
        {
            throw new ArgumentException("Live: `dir` must be a non-empty folder path.", nameof(options));
        }

        _dirFull = Path.GetFullPath(Path.Combine(_cwd, options.Dir));
        if (options.DvcYaml is { } dvcYaml)
        {
            if (!string.Equals(Path.GetFileName(dvcYaml), "dvc.yaml", StringComparison.Ordinal))
            {
                throw new InvalidDvcYamlException("`dvcyaml` path must have filename 'dvc.yaml'");
            }

            _dvcYamlFull = Path.GetFullPath(Path.Combine(_cwd, dvcYaml));
        }

        _resumed = options.Resume || EnvFlags.IsTruthy(GetEnv("DVCLIVE_RESUME"));
        ExpName = options.ExpName ?? NullIfEmpty(GetEnv("DVC_EXP_NAME"));
        BaselineRev = NullIfEmpty(GetEnv("DVC_EXP_BASELINE_REV")) ?? new string('0', 40);
        InitRepository();
        Directory.CreateDirectory(_dirFull);
        DeleteTempFiles();
        if (_resumed)
        {
            LoadForResume();
        }
        else
        {
            CleanUp();
        }

        InitStudio();
        if (options.MonitorSystem)
        {
            StartSystemMonitor();
        }
    }

    /// <summary>The output folder as given (<c>dir</c>).</summary>
    public string Dir => _options.Dir;

    /// <summary>Full path of the output folder.</summary>
    public string DirFullPath => _dirFull;

    /// <summary>Full path of <c>params.yaml</c>.</summary>
    public string ParamsFile => Path.Combine(_dirFull, "params.yaml");

    /// <summary>Full path of <c>metrics.json</c>.</summary>
    public string MetricsFile => Path.Combine(_dirFull, "metrics.json");

    /// <summary>Full path of the <c>plots</c> folder.</summary>
    public string PlotsDir => Path.Combine(_dirFull, "plots");

    /// <summary>Full path of the <c>artifacts</c> folder (<c>LogArtifact(copy: true)</c>).</summary>
    public string ArtifactsDir => Path.Combine(_dirFull, "artifacts");

    /// <summary>Full path of the dvc.yaml written, or null when disabled.</summary>
    public string? DvcFile => _dvcYamlFull;

    /// <summary>Full path of the report file, or null without a report.</summary>
    public string? ReportFile => _options.Report switch
    {
        LiveReportMode.Html => Path.Combine(_dirFull, "report.html"),
        LiveReportMode.Md => Path.Combine(_dirFull, "report.md"),
        _ => null,
    };

    /// <summary>The report mode in effect.</summary>
    public LiveReportMode ReportMode => _options.Report;

    /// <summary>
    /// The summary written to metrics.json: the latest value of every metric, nested by <c>/</c>, plus
    /// <c>step</c>. May be edited before <see cref="MakeSummary"/>.
    /// </summary>
    public IDictionary<string, object?> Summary => _summary;

    /// <summary>The logged parameters (a copy).</summary>
    public IReadOnlyDictionary<string, object?> Params => (OrderedDictionary<string, object?>)LiveValues.Clone(_params)!;

    /// <summary>
    /// The current step (0 until <see cref="NextStep"/> or a set). Setting it does not write anything;
    /// the next <see cref="NextStep"/> continues from the value set.
    /// </summary>
    public long Step
    {
        get => _step ?? 0;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _step = value;
        }
    }

    /// <summary>The experiment name (given, from <c>DVC_EXP_NAME</c>, or generated when an experiment is saved).</summary>
    public string? ExpName { get; private set; }

    /// <summary>The baseline commit (40 hex digits; zeros outside Git).</summary>
    public string BaselineRev { get; private set; }

    /// <summary>The commit of the saved experiment, once <see cref="End"/> saved one.</summary>
    public string? ExperimentRev { get; private set; }

    /// <summary>False when experiment saving was requested but is impossible here (no Git, no commit, inside a pipeline).</summary>
    public bool SaveDvcExpEnabled => _saveDvcExp;

    private string? GetEnv(string name) =>
        _options.Environment is { } env
            ? env.TryGetValue(name, out var value) ? value : null
            : Environment.GetEnvironmentVariable(name);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private void CleanUp()
    {
        foreach (var sub in new[] { "metrics", "images", "custom", "sklearn" })
        {
            var path = Path.Combine(PlotsDir, sub);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        foreach (var file in new[] { MetricsFile, ParamsFile, Path.Combine(_dirFull, "report.html"), Path.Combine(_dirFull, "report.md") })
        {
            File.Delete(file);
        }

        foreach (var file in Directory.EnumerateFiles(_dirFull))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith("dvc.yaml", StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
    }

    // Temporary files of atomic writes are left only by a process killed between write and rename.
    private void DeleteTempFiles()
    {
        foreach (var file in Directory.EnumerateFiles(_dirFull, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories))
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Ends the step: writes metrics.json (with <c>step</c>), dvc.yaml and the report, queues a Studio
    /// update, then advances <see cref="Step"/> by one.
    /// </summary>
    public void NextStep()
    {
        ThrowIfDisposed();
        _step ??= 0;
        Sync(final: false);
        WriteStepSignal(_step.Value);
        _step++;
    }

    /// <summary>Writes every pending output (rows, metrics.json, dvc.yaml, report) and queues a Studio update.</summary>
    public void Sync() => Sync(final: false);

    private void Sync(bool final)
    {
        lock (_logGate)
        {
            SyncLocked(final);
        }
    }

    private void SyncLocked(bool final)
    {
        FlushRows();
        var now = _time.GetTimestamp();
        if (final || _options.SummaryInterval <= TimeSpan.Zero || !_summaryWritten
            || _time.GetElapsedTime(_lastSummaryTimestamp, now) >= _options.SummaryInterval)
        {
            MakeSummary();
            _lastSummaryTimestamp = now;
            _summaryWritten = true;
        }
        else if (_step is { } step)
        {
            _summary["step"] = step;
        }

        if (_dvcYamlFull is not null)
        {
            MakeDvcYamlSafe();
        }

        if (_options.Report != LiveReportMode.None)
        {
            MakeReport(force: final);
        }

        EnqueueStudioData();
    }

    private void FlushRows()
    {
        foreach (var writer in _metricOrder)
        {
            writer.Flush();
        }
    }

    /// <summary>
    /// Writes metrics.json from <see cref="Summary"/>, first setting <c>step</c> when a step is set.
    /// </summary>
    public void MakeSummary()
    {
        FlushRows();
        if (_step is { } step)
        {
            _summary["step"] = step;
        }

        AtomicFile.WriteText(MetricsFile, PyJson.Serialize(_summary) + "\n");
    }

    /// <summary>Parsed metrics.json, or an empty dictionary when there is none.</summary>
    public IDictionary<string, object?> ReadLatest() =>
        File.Exists(MetricsFile) ? JsonValues.LoadObject(File.ReadAllText(MetricsFile)) : new OrderedDictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The <c>step</c> recorded in metrics.json, or 0.</summary>
    public long ReadStep() => ReadLatest().TryGetValue("step", out var step) && step is long s ? s : 0;

    /// <summary>
    /// Ends the run: caches images when asked, writes the final outputs (without advancing the step),
    /// saves the DVC experiment, waits for Studio updates and sends <c>done</c>. Safe to call again.
    /// </summary>
    public void End()
    {
        if (_disposed)
        {
            return;
        }

        if (_options.CacheImages && _images.Count > 0 && !_insidePipeline)
        {
            CacheImagesFolder();
        }

        if (_summary.TryGetValue("step", out var s) && s is long summaryStep)
        {
            _step = summaryStep;
        }

        StopSystemMonitor();
        Sync(final: true);
        if (_insideDvcExp)
        {
            StageForDvcExp();
        }

        if (_saveDvcExp && !_ended)
        {
            SaveExperiment();
        }

        FinishStudio();
        RemoveStepSignal();
        _ended = true;
    }

    /// <summary>Ends the run (see <see cref="End"/>) and releases the open files.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            End();
        }
        finally
        {
            _disposed = true;
            foreach (var writer in _metricOrder)
            {
                writer.Dispose();
            }

            DisposeStudio();
        }
    }

    /// <summary>Ends the run on a worker thread (the experiment save runs <c>git</c>).</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.Run(Dispose).ConfigureAwait(false);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Path relative to <paramref name="baseDir"/> with <c>/</c> separators.</summary>
    internal static string RelativePosix(string baseDir, string path) => Path.GetRelativePath(baseDir, path).Replace('\\', '/');

    private sealed record PlotEntry(string RelativeFile, OrderedDictionary<string, object?> Config, string? SklearnKind, bool Carried);
}
