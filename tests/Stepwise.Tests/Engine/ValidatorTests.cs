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
}
