using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Stepwise.Dvc;

namespace Stepwise.Benchmarks.Dvc;

/// <summary>
/// The scenario: a run of 10,000 steps × 10 metrics (<c>LogMetric</c> ×10 + <c>NextStep</c>) in a
/// fresh folder, per report mode, with metrics.json written at every step (the default, as the
/// reference) or at most every 100 ms (<see cref="LiveOptions.SummaryInterval"/>). One invocation is one
/// whole run; the per-block profile (flatness, memory) is the <c>live-profile</c> command.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class LiveBenchmarks
{
    private static readonly string[] Names = Enumerable.Range(0, 10).Select(i => i < 5 ? $"train/metric{i}" : $"val/metric{i}").ToArray();
    private string _dir = string.Empty;
    private Live? _live;

    [Params(LiveReportMode.None, LiveReportMode.Html)]
    public LiveReportMode Report { get; set; }

    [Params(0, 100)]
    public int SummaryIntervalMs { get; set; }

    /// <summary>Logs 10 metrics and ends the step, <paramref name="steps"/> times.</summary>
    public static void Steps(Live live, int steps)
    {
        for (var s = 0; s < steps; s++)
        {
            for (var m = 0; m < Names.Length; m++)
            {
                live.LogMetric(Names[m], (s * 0.001) + m);
            }

            live.NextStep();
        }
    }

    public static Live Start(string dir, LiveReportMode report, int summaryIntervalMs) => new(new LiveOptions
    {
        WorkingDirectory = dir,
        SaveDvcExp = false,
        Report = report,
        SummaryInterval = TimeSpan.FromMilliseconds(summaryIntervalMs),
        Environment = new Dictionary<string, string>(),
    });

    [IterationSetup]
    public void FreshRun()
    {
        _dir = Path.Combine(Path.GetTempPath(), "stepwise-bench-live-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _live = Start(_dir, Report, SummaryIntervalMs);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _live?.Dispose();
        _live = null;
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Description = "10,000 steps x 10 metrics")]
    public void TenThousandSteps() => Steps(_live!, 10_000);
}
