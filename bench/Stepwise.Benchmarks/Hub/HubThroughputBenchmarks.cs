using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server;
using Stepwise.Hub.Session;

namespace Stepwise.Benchmarks.Hub;

/// <summary>
/// End-to-end metrics throughput to a local Hub server (in process, SQLite, loopback): one operation
/// queues 1,000 epochs of 10 metrics with no rate limit and finishes the session, which returns once
/// the server has stored every value.
/// </summary>
public class HubThroughputBenchmarks
{
    private const int Epochs = 1_000;
    private readonly Dictionary<string, double> _metrics = [];
    private string _root = string.Empty;
    private HubServerHost _server = null!;
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < 10; i++)
        {
            _metrics[$"metric/number_{i}"] = i * 0.1;
        }

        _root = Path.Combine(Path.GetTempPath(), "stepwise-bench-hubtp-" + Guid.NewGuid().ToString("N"));
        _server = HubServerHost.StartAsync(new HubServerOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDir = Path.Combine(_root, "server"),
            RateLimitPerSecond = 100_000,
            RateLimitBurst = 200_000,
            ConfigureLogging = b => b.ClearProviders(),
        }).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Epochs)]
    public async Task<bool> ThousandEpochs()
    {
        int run = ++_run;
        var session = HubSession.Start(new HubSessionOptions
        {
            ServerUrl = _server.BaseAddress,
            ApiKey = _server.InitialAdminKey!,
            SpoolDirectory = Path.Combine(_root, "runs", run.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            RunName = "bench",
            Project = "bench",
            MetricsInterval = TimeSpan.Zero,
        });
        await using (session.ConfigureAwait(false))
        {
            for (int epoch = 0; epoch < Epochs; epoch++)
            {
                session.EnqueueMetrics(epoch, _metrics);
            }

            var result = await session.FinishAsync(new HubFinish(HubRunStatus.Finished)).ConfigureAwait(false);
            return result.Delivered ? true : throw new InvalidOperationException("not delivered");
        }
    }
}
