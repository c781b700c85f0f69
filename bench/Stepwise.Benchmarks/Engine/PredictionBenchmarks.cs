using BenchmarkDotNet.Attributes;
using Stepwise.Engine;
using Stepwise.Tasks;

namespace Stepwise.Benchmarks.Engine;

/// <summary>
/// Prediction throughput on the built-in validation set (600 shapes images, 28×28, default model
/// 784 → 256 → 128 → 6) through the whole <see cref="Predictor"/> (events, results, top-5), from a
/// safetensors checkpoint and from the exported ONNX model, at batch 1 and 64. One operation
/// predicts all 600 images: images/s = 600 / mean.
/// </summary>
public class PredictionBenchmarks
{
    private string _dir = null!;
    private List<float[]> _rows = null!;
    private EvaluationModel _model = null!;

    [Params("checkpoint", "onnx")]
    public string Format { get; set; } = "checkpoint";

    [Params(1, 64)]
    public int Batch { get; set; }

    public static int Images => 600;

    [GlobalSetup]
    public void Setup()
    {
        var data = ShapesDataset.Generate();
        _rows = [.. Enumerable.Range(0, data.Val.Count).Select(i => data.Val.FeaturesAt(i).ToArray())];
        _dir = Path.Combine(Path.GetTempPath(), "stepwise-bench-predict-" + Environment.ProcessId);
        Directory.CreateDirectory(_dir);
        string weights = Path.Combine(_dir, "best.safetensors");
        var trainer = new Trainer(TrainArgs.Parse(new Dictionary<string, string>
        {
            ["epochs"] = "1", ["project"] = _dir, ["name"] = "train", ["plots"] = "false", ["verbose"] = "false", ["fraction"] = "0.1",
        }), new TrainerOptions { Data = data });
        trainer.Train();
        File.Copy(trainer.BestPath, weights);
        string path = Format == "onnx" ? new Exporter().Export(weights, ExportFormat.Onnx) : weights;
        _model = EvaluationModel.Load(path);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [Benchmark]
    public int PredictValidationSet()
    {
        int count = 0;
        foreach (var _ in new Predictor().Stream(_model, PredictionSource.FromArrays(_rows), new PredictOptions { Batch = Batch, Verbose = false, Threads = 1 }))
        {
            count++;
        }

        return count;
    }
}
