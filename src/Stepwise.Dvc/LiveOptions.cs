using Microsoft.Extensions.Logging;

namespace Stepwise.Dvc;

/// <summary>
/// Construction parameters of <see cref="Live"/>, named and defaulted like the reference's
/// <c>Live(...)</c> arguments, plus the .NET seams (clock, logger, working directory, environment).
/// </summary>
public sealed class LiveOptions
{
    /// <summary>Output folder, relative to <see cref="WorkingDirectory"/> (<c>dir</c>, default <c>dvclive</c>).</summary>
    public string Dir { get; init; } = "dvclive";

    /// <summary>Keep existing outputs and continue the run (<c>resume</c>); also on when <c>DVCLIVE_RESUME</c> is truthy.</summary>
    public bool Resume { get; init; }

    /// <summary>Report to render at every step (<c>report</c>, default none).</summary>
    public LiveReportMode Report { get; init; } = LiveReportMode.None;

    /// <summary>Save a DVC experiment at <see cref="Live.End"/> (<c>save_dvc_exp</c>, default true; needs a Git repo with a commit).</summary>
    public bool SaveDvcExp { get; init; } = true;

    /// <summary>
    /// Path of the dvc.yaml to write, relative to <see cref="WorkingDirectory"/> (<c>dvcyaml</c>, default
    /// <c>dvc.yaml</c>); null disables it. The file name must be exactly <c>dvc.yaml</c>.
    /// </summary>
    public string? DvcYaml { get; init; } = "dvc.yaml";

    /// <summary>Cache <c>plots/images</c> with DVC at the end when images were logged (<c>cache_images</c>).</summary>
    public bool CacheImages { get; init; }

    /// <summary>Experiment name (<c>exp_name</c>); falls back to <c>DVC_EXP_NAME</c>, then a random name.</summary>
    public string? ExpName { get; init; }

    /// <summary>Experiment commit message (<c>exp_message</c>).</summary>
    public string? ExpMessage { get; init; }

    /// <summary>Sample CPU, memory and disk usage in the background (<c>monitor_system</c>).</summary>
    public bool MonitorSystem { get; init; }

    /// <summary>
    /// Write metric rows to the .tsv files as soon as they are logged instead of once per step. Off by
    /// default: rows are kept in memory until <see cref="Live.NextStep"/> (or any sync) and then appended
    /// whole, one write per file, which keeps the per-step cost flat; the files are complete after every
    /// step either way.
    /// </summary>
    public bool WriteRowsImmediately { get; init; }

    /// <summary>
    /// Shortest interval between two writes of metrics.json by <see cref="Live.NextStep"/>. Zero (the
    /// default) writes it at every step, as the reference does. A positive interval writes it at most
    /// that often (and always at <see cref="Live.End"/>); metric rows are still appended at every step
    /// and resume recovers the latest values and step from them, so a run killed between two writes
    /// loses nothing. Useful for very fast loops on slow or busy disks, where replacing a file costs
    /// far more than appending rows.
    /// </summary>
    public TimeSpan SummaryInterval { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Shortest interval between two renders of report.html during the run (the final render at
    /// <see cref="Live.End"/> always happens). The reference re-renders at every step; zero does that too.
    /// </summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Folder that relative paths are resolved against; the process's current directory by default.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables to read instead of the process environment (tests, embedding).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Clock for TSV timestamps, report throttling and Studio retries.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where warnings go (category <c>dvclive</c> in the reference); nothing by default.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Retries of a failed Studio request (default 2), with doubling delays from <see cref="StudioRetryDelay"/>.</summary>
    public int StudioRetries { get; init; } = 2;

    /// <summary>Delay before the first retry of a failed Studio request (default 1 s).</summary>
    public TimeSpan StudioRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait at <see cref="Live.End"/> for queued Studio updates (default 30 s).</summary>
    public TimeSpan StudioDrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Handler for Studio HTTP requests (tests); a default <see cref="HttpClientHandler"/> otherwise.</summary>
    public HttpMessageHandler? StudioHandler { get; init; }
}
