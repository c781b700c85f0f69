using BenchmarkDotNet.Attributes;
using Stepwise.Tasks;

namespace Stepwise.Benchmarks.Engine;

/// <summary>
/// Training throughput of the default model: one operation is one training sample (forward, backward
/// and its share of the AdamW step), so samples/s = 1e9 / Mean[ns].
/// </summary>
[MemoryDiagnoser]
public class TrainingThroughputBenchmarks
{
    private const int Samples = 2048;
    private MlpWorkload _workload = null!;

    [Params(32, 256)]
    public int Batch { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>One thread and every core of the machine.</summary>
    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    [GlobalSetup]
    public void Setup() => _workload = new MlpWorkload(ShapesDataset.Generate(seed: 0, size: 28, trainPerClass: 400, valPerClass: 10), Batch);

    [Benchmark(OperationsPerInvoke = Samples)]
    public double TrainStep() => _workload.TrainSamples(Samples, Threads);
}
