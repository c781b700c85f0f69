using BenchmarkDotNet.Attributes;
using Stepwise.Callbacks;
using Stepwise.Engine;

namespace Stepwise.Benchmarks.Callbacks;

/// <summary>Cost of raising one event with 0, 1 and 8 user handlers, and with 8 integration handlers.</summary>
[MemoryDiagnoser]
public class CallbackDispatchBenchmarks
{
    private CallbackRegistry _registry = null!;
    private Trainer _trainer = null!;
    private int _counter;

    [Params(0, 1, 8)]
    public int Handlers { get; set; }

    [Params(CallbackKind.User, CallbackKind.Integration)]
    public CallbackKind Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = new CallbackRegistry(rank: RankInfo.Single);
        _trainer = new Trainer(_registry);
        for (var i = 0; i < Handlers; i++)
        {
            _registry.Add(TrainerEvents.TrainBatchEnd, _ => _counter++, new CallbackOptions { Kind = Kind, Name = "bench" });
        }
    }

    [Benchmark]
    public void Raise() => _registry.Raise(TrainerEvents.TrainBatchEnd, _trainer);
}
