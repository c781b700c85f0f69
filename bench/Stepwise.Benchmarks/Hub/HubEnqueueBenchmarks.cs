using BenchmarkDotNet.Attributes;
using Stepwise.Hub.Session;

namespace Stepwise.Benchmarks.Hub;

/// <summary>
/// Cost on the training thread of queuing one epoch's metrics (10 values) with
/// <see cref="HubSession.EnqueueMetrics(int, Dictionary{string, double})"/>.
/// <c>Enqueue</c>: the background sender is not running, so this is the copy and the lock-free
/// enqueue alone (the queue is emptied after each iteration). <c>EnqueueWithSender</c>: the sender
/// runs, taking the queue every 100 ms and writing each epoch to its spool on the other core.
/// <c>EnqueueAndPersist</c>: what the Hub callbacks do at each epoch end, queue and then append the
/// epoch to the spool on the calling thread (one journal write).
/// </summary>
[MemoryDiagnoser]
public class HubEnqueueBenchmarks
{
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal)
    {
        ["train/loss"] = 0.51234,
        ["metrics/accuracy_top1"] = 0.8125,
        ["metrics/accuracy_top5"] = 1,
        ["val/loss"] = 0.61234,
        ["lr/pg0"] = 0.000912,
        ["lr/pg1"] = 0.000912,
        ["lr/pg2"] = 0.000912,
        ["model/parameters"] = 235_142,
        ["model/GFLOPs"] = 0.00047,
        ["model/speed(ms)"] = 0.012,
    };

    private string _spool = string.Empty;
    private HubSession _paused = null!;
    private HubSession _running = null!;
    private HubSession _persisting = null!;
    private int _epoch;

    [GlobalSetup]
    public void Setup()
    {
        _spool = Path.Combine(Path.GetTempPath(), "stepwise-bench-hub-" + Guid.NewGuid().ToString("N"));
        _paused = HubSession.Start(Options("paused"), startLoops: false);

        // Nothing listens on port 9 (discard): the sender spools and then waits an hour to send.
        _running = HubSession.Start(Options("running"), startLoops: true);
        _persisting = HubSession.Start(Options("persisting"), startLoops: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _paused.Dispose();
        _running.Dispose();
        _persisting.Dispose();
        Directory.Delete(_spool, recursive: true);
    }

    [IterationCleanup(Target = nameof(Enqueue))]
    public void Drain() => _paused.DiscardQueued();

    [Benchmark(Baseline = true)]
    [InvocationCount(200_000)]
    public bool Enqueue() => _paused.EnqueueMetrics(_epoch++, _metrics);

    [Benchmark]
    [InvocationCount(20_000)]
    public bool EnqueueWithSender() => _running.EnqueueMetrics(_epoch++, _metrics);

    [Benchmark]
    [InvocationCount(20_000)]
    public bool EnqueueAndPersist()
    {
        bool queued = _persisting.EnqueueMetrics(_epoch++, _metrics);
        _persisting.Persist();
        return queued;
    }

    private HubSessionOptions Options(string name) => new()
    {
        ServerUrl = new Uri("http://127.0.0.1:9"),
        ApiKey = "swk_bench",
        SpoolDirectory = Path.Combine(_spool, name),
        SpoolLimitBytes = 1L << 30,
        RunName = name,
        Project = "bench",
        MetricsInterval = TimeSpan.FromHours(1),
        RetryPause = TimeSpan.FromHours(1),
        HeartbeatInterval = TimeSpan.FromHours(1),
        RequestRetry = new() { MaxRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(1), TotalTimeout = TimeSpan.FromSeconds(1) },
    };
}
