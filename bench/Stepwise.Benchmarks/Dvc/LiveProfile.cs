using System.Diagnostics;
using Stepwise.Dvc;

namespace Stepwise.Benchmarks.Dvc;

/// <summary>
/// <c>live-profile [steps] [none|html] [summary interval ms]</c>: one run of the benchmark scenario with the time of every block of
/// 1,000 steps and the memory still reachable (after a full GC) at the end of each block, to show
/// that neither grows with the history.
/// </summary>
public static class LiveProfile
{
    public static int Run(int steps, LiveReportMode report, int summaryIntervalMs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "stepwise-live-profile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var live = LiveBenchmarks.Start(dir, report, summaryIntervalMs);
            Console.WriteLine($"report={report}, summary interval {summaryIntervalMs} ms; block of 1,000 steps x 10 metrics: wall time, process CPU time, retained managed memory after the block");
            var process = Process.GetCurrentProcess();
            var total = Stopwatch.StartNew();
            var totalCpu = process.TotalProcessorTime;
            for (var block = 0; block < steps / 1000; block++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                LiveBenchmarks.Steps(live, 1000);
                watch.Stop();
                process.Refresh();
                var cpuUsed = process.TotalProcessorTime - cpu;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                Console.WriteLine($"steps {block * 1000,7}-{(block * 1000) + 999,7}: {watch.Elapsed.TotalMilliseconds,8:F1} ms wall {cpuUsed.TotalMilliseconds,8:F1} ms CPU   {GC.GetTotalMemory(forceFullCollection: true) / 1024.0,8:F0} KiB");
            }

            process.Refresh();
            Console.WriteLine($"total {total.Elapsed.TotalMilliseconds:F0} ms wall, {(process.TotalProcessorTime - totalCpu).TotalMilliseconds:F0} ms CPU for {steps:N0} steps (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }
}
