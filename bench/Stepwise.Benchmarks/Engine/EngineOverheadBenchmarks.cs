using BenchmarkDotNet.Attributes;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Tasks;

namespace Stepwise.Benchmarks.Engine;

/// <summary>
/// The engine's bookkeeping and an empty callback set against the bare compute of the same run:
/// <see cref="Trainer"/> runs 2 or 6 epochs (events, schedule, metrics, results.csv, checkpoints; no
/// plots) and the baseline runs the same training and validation passes with nothing around them.
/// (trainer(6) − trainer(2)) / (bare(6) − bare(2)) − 1 is the per-epoch overhead; the ratio column
/// also counts the fixed cost of starting and ending a run.
/// </summary>
public class EngineOverheadBenchmarks
{
    private ClassificationData _data = null!;
    private string _project = null!;

    [Params(32)]
    public int Batch { get; set; }

    /// <summary>Two run lengths: the difference between them is the per-epoch cost, without the fixed start and end.</summary>
    [Params(2, 6)]
    public int Epochs { get; set; }

    /// <summary>Whether the trainer writes its checkpoints (last and best, every epoch).</summary>
    [Params(true, false)]
    public bool Save { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = ShapesDataset.Generate();
        _project = Path.Combine(Path.GetTempPath(), "stepwise-bench-" + Environment.ProcessId);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_project))
        {
            Directory.Delete(_project, recursive: true);
        }
    }

    [Benchmark(Baseline = true)]
    public double BareCompute()
    {
        var workload = new MlpWorkload(_data, Batch);
        double loss = 0;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            // The trainer's shuffle for this epoch (seed 0), so both sides visit the samples in the same order.
            var order = Enumerable.Range(0, _data.Train.Count).ToArray();
            new DeterministicRandom(DeterministicRandom.Derive(0, epoch, 1)).Shuffle(order);
            loss += workload.Train(order, 1);
            loss += workload.Evaluate(1);
        }

        // The trainer validates the best weights once more at the end.
        return loss + workload.Evaluate(1);
    }

    [Benchmark]
    public double? Trainer()
    {
        var args = TrainArgs.Parse(new Dictionary<string, string>
        {
            ["project"] = _project,
            ["name"] = "overhead",
            ["exist_ok"] = "true",
            ["epochs"] = Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["batch"] = Batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["threads"] = "1",
            ["plots"] = "false",
            ["verbose"] = "false",
            ["save"] = Save ? "true" : "false",
        });
        var trainer = new Trainer(args, new TrainerOptions { Callbacks = new CallbackRegistry(rank: RankInfo.Single), Data = _data });
        trainer.Train();
        return trainer.BestFitness;
    }
}
