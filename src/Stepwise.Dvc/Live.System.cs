using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    private readonly Lock _logGate = new();
    private CancellationTokenSource? _monitorStop;
    private Task? _monitor;

    /// <summary>
    /// Starts sampling CPU, memory and disk usage in the background (the reference's
    /// <c>monitor_system</c>): every <paramref name="samples"/> samples the means are logged with
    /// timestamps at the current step (<c>system/cpu/usage (%)</c>, <c>system/ram/usage (GB)</c>,
    /// <c>system/disk/usage (%)/&lt;name&gt;</c>, …); totals go to the summary only.
    /// </summary>
    /// <param name="interval">Time between samples, capped at 0.1 s.</param>
    /// <param name="samples">Samples per logged mean, 1 to 30.</param>
    /// <param name="directories">Name → folder whose disk is watched (default <c>main</c> → the root).</param>
    public void MonitorSystem(TimeSpan? interval = null, int samples = 20, IReadOnlyDictionary<string, string>? directories = null)
    {
        StopSystemMonitor();
        var period = interval ?? TimeSpan.FromSeconds(0.05);
        if (period > TimeSpan.FromSeconds(0.1))
        {
            period = TimeSpan.FromSeconds(0.1);
        }

        samples = Math.Clamp(samples, 1, 30);
        var watched = directories ?? new Dictionary<string, string>(StringComparer.Ordinal) { ["main"] = Path.GetPathRoot(_cwd) ?? "/" };
        foreach (var (name, value) in SystemSampler.Totals(watched))
        {
            LogMetric(name, value, plot: false);
        }

        var stop = new CancellationTokenSource();
        _monitorStop = stop;
        _monitor = Task.Run(() => SampleLoopAsync(period, samples, watched, stop.Token));
    }

    private async Task SampleLoopAsync(TimeSpan period, int samples, IReadOnlyDictionary<string, string> directories, CancellationToken token)
    {
        var sampler = new SystemSampler();
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        var taken = 0;
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                foreach (var (name, value) in sampler.Sample(directories))
                {
                    var (sum, count) = sums.GetValueOrDefault(name);
                    sums[name] = (sum + value, count + 1);
                }

                if (++taken < samples)
                {
                    continue;
                }

                foreach (var (name, (sum, count)) in sums)
                {
                    LogMetric(name, sum / count, timestamp: true);
                }

                sums.Clear();
                taken = 0;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by End.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _logger.LogWarning("System monitoring stopped: {Message}", ex.Message);
        }
    }

    private void StartSystemMonitor() => MonitorSystem();

    private void StopSystemMonitor()
    {
        if (_monitorStop is null)
        {
            return;
        }

        _monitorStop.Cancel();
        try
        {
            _monitor?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends on cancellation; nothing to report.
        }

        _monitorStop.Dispose();
        _monitorStop = null;
        _monitor = null;
    }
}
