using BenchmarkDotNet.Attributes;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Tasks;

namespace Stepwise.Benchmarks.Engine;

/// <summary>
/// The engine's bookkeeping and an empty callback set against the bare compute of the same run:
/// <see cref="Trainer"/> runs 3 epochs (events, schedule, metrics, results.csv, checkpoints; no plots)
/// and the baseline runs the same training and validation passes with nothing around them. The
/// ratio column minus 1 is the overhead.
/// </summary>
public class EngineOverheadBenchmarks
{
    private const int Epochs = 3;
    private ClassificationData _data = null!;
    private string _project = null!;

    [Params(32)]
    public int Batch { get; set; }

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
            loss += workload.TrainSamples(_data.Train.Count, 1);
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
