using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Tests.Support;

namespace Stepwise.Tests.Engine;

public class ValidatorTests
{
    [Fact]
    public void Standalone_validation_of_best_weights_reproduces_the_final_evaluation_and_raises_validator_events()
    {
        using var tmp = new TempDirectory();
        var trainer = EngineTestRun.Create(EngineTestRun.Args(tmp.Path, ("data", "shapes:3"), ("imgsz", "12")),
            data: Stepwise.Tasks.ShapesDataset.Generate(3, 12));
        trainer.Train();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var events = new List<string>();
        registry.Add(ValidatorEvents.ValStart, v => events.Add($"start:{v.Training}"));
        registry.Add(ValidatorEvents.ValBatchEnd, v => events.Add("batch"));
        registry.Add(ValidatorEvents.ValEnd, v => events.Add($"end:{v.Seen}"));
        var validator = new Validator(registry, timeProvider: new FrozenTimeProvider());
        var metrics = validator.Run(new Dictionary<string, string> { ["model"] = trainer.BestPath, ["project"] = tmp.Path, ["batch"] = "100" });
        Assert.Equal(trainer.Metrics["metrics/accuracy_top1"], metrics["metrics/accuracy_top1"]);
        Assert.Equal(trainer.Metrics["metrics/accuracy_top5"], metrics["metrics/accuracy_top5"]);
        Assert.Equal(["start:False", "batch", "batch", "batch", "end:600"], events);
        Assert.Equal(Path.Combine(tmp.Path, "val"), validator.SaveDir);
        Assert.True(File.Exists(Path.Combine(validator.SaveDir, "confusion_matrix_normalized.png")));
        Assert.Equal(600, validator.ConfusionMatrix!.Total);
        Assert.Equal(validator.TrueLabels.Count, validator.PredictedLabels.Count);
        var data = validator.Plots[Path.Combine(validator.SaveDir, "confusion_matrix_normalized.png")].Data!;
        Assert.Equal("confusion_matrix", data.Type);
    }

    [Fact]
    public void Validation_without_a_model_argument_is_an_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Validator().Run(new Dictionary<string, string>()));
        Assert.Contains("model=", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exported_onnx_model_validates_to_the_same_accuracy_as_its_checkpoint()
    {
        using var tmp = new TempDirectory();
        var trainer = EngineTestRun.Create(EngineTestRun.Args(tmp.Path, ("data", "shapes:3"), ("imgsz", "12"), ("epochs", "1")),
            data: Stepwise.Tasks.ShapesDataset.Generate(3, 12, trainPerClass: 20, valPerClass: 10));
        trainer.Train();
        string onnx = new Exporter().Export(trainer.BestPath, ExportFormat.Onnx);
        var overrides = new Dictionary<string, string> { ["project"] = tmp.Path, ["batch"] = "30", ["plots"] = "false" };
        var fromCheckpoint = new Validator().Run(new Dictionary<string, string>(overrides) { ["model"] = trainer.BestPath });
        var fromOnnx = new Validator().Run(new Dictionary<string, string>(overrides) { ["model"] = onnx });
        Assert.Equal(fromCheckpoint["metrics/accuracy_top1"], fromOnnx["metrics/accuracy_top1"]);
        Assert.Equal(fromCheckpoint["metrics/accuracy_top5"], fromOnnx["metrics/accuracy_top5"]);
        Assert.Equal(fromCheckpoint["val/loss"], fromOnnx["val/loss"], 4);
    }

    [Fact]
    public void Validating_a_broken_model_file_is_a_load_error_naming_the_file()
    {
        using var tmp = new TempDirectory();
        string path = System.IO.Path.Combine(tmp.Path, "best.onnx");
        File.WriteAllBytes(path, [0x08, 0x08, 0xFF, 0xFF]);
        var ex = Assert.Throws<ModelLoadException>(() => new Validator().Run(new Dictionary<string, string> { ["model"] = path }));
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
    }
}
