using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Imaging;
using Stepwise.Tests.Support;

namespace Stepwise.Tests.Engine;

public class TrainerStateTests
{
    [Fact]
    public void Handlers_see_the_documented_state_at_each_event()
    {
        using var tmp = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var seen = new Dictionary<string, string>();
        registry.Add(TrainerEvents.PretrainRoutineStart, t =>
        {
            seen["start"] = $"{t.Epoch}|{t.Fitness is null}|{t.Metrics.Count}|{Directory.Exists(t.SaveDir)}|{t.Status}";
        });
        registry.Add(TrainerEvents.PretrainRoutineEnd, t =>
        {
            seen["pre_end"] = $"{string.Join(",", t.Metrics.Keys.Order())}|{t.Metrics.Values.Sum()}|{t.Lr.Count}|{t.Model!.Layers.Count}|{string.Join(",", t.ClassNames)}";
        });
        registry.Add(TrainerEvents.TrainEpochStart, t => seen.TryAdd("epoch_start", $"{t.Epoch}|{t.Epochs}|{t.StartEpoch}"));
        registry.Add(TrainerEvents.OptimizerStep, t => seen.TryAdd("opt", $"{t.OptimizerStepped}|{t.Iteration}"));
        registry.Add(TrainerEvents.TrainEpochEnd, t => seen.TryAdd("epoch_end", $"{string.Join(",", t.Lr.Keys)}|{string.Join(",", t.LabelLossItems().Keys)}|{t.Fitness is null}"));
        registry.Add(TrainerEvents.ModelSave, t => seen.TryAdd("save", $"{File.Exists(t.LastPath)}|{File.Exists(t.BestPath)}"));
        registry.Add(TrainerEvents.FitEpochEnd, t =>
        {
            seen.TryAdd("fit", $"{t.Metrics.Count}|{t.Fitness is not null}|{t.BestFitness >= t.Fitness}|{string.Join(",", t.ModelInfoForLoggers().Keys)}|{t.Validator.ConfusionMatrix!.Total}");
        });
        registry.Add(TrainerEvents.FinalEvalEnd, t => seen["final"] = $"{string.Join(",", t.Metrics.Keys.Order())}|{t.Validator.Training}");
        registry.Add(TrainerEvents.TrainEnd, t => seen["end"] = $"{t.Status}|{t.Error is null}|{t.Epoch}");
        registry.Add(TrainerEvents.Teardown, t =>
        {
            seen["teardown"] = string.Join(",", t.Plots.Keys.Select(Path.GetFileName).Order());
            seen["val_plots"] = string.Join(",", t.Validator.Plots.Keys.Select(Path.GetFileName).Order());
        });
        registry.Add(ValidatorEvents.ValStart, v => seen.TryAdd("val_start", $"{v.Seen is null}|{v.Training}"));
        registry.Add(ValidatorEvents.ValBatchEnd, v => seen.TryAdd("val_batch_end", $"{v.Seen}|{v.BatchIndex}/{v.BatchCount}"));

        EngineTestRun.Create(EngineTestRun.Args(tmp.Path), registry).Train();

        Assert.Equal("-1|True|0|True|Running", seen["start"]);
        Assert.Equal("metrics/accuracy_top1,metrics/accuracy_top5,val/loss|0|0|5|circle,square,triangle,cross,ring,line", seen["pre_end"]);
        Assert.Equal("0|3|0", seen["epoch_start"]);
        Assert.Equal("True|0", seen["opt"]);
        Assert.Equal("lr/pg0,lr/pg1,lr/pg2|train/loss|True", seen["epoch_end"]);
        Assert.Equal("True|True", seen["save"]);
        Assert.Equal("3|True|True|model/parameters,model/GFLOPs,model/speed(ms)|12", seen["fit"]);
        Assert.Equal("metrics/accuracy_top1,metrics/accuracy_top5|False", seen["final"]);
        Assert.Equal("Completed|True|2", seen["end"]);
        Assert.Equal("results.png,train_batch0.png,train_batch1.png,train_batch2.png", seen["teardown"]);
        Assert.Equal("confusion_matrix.png,confusion_matrix_normalized.png,val_batch0_labels.png,val_batch0_pred.png", seen["val_plots"]);
        Assert.Equal("True|True", seen["val_start"]);
        Assert.Equal("12|0/1", seen["val_batch_end"]);
    }

    [Fact]
    public void A_run_leaves_the_reference_run_directory_layout_with_decodable_plots()
    {
        using var tmp = new TempDirectory();
        var trainer = EngineTestRun.Create(EngineTestRun.Args(tmp.Path));
        trainer.Train();
        Assert.Equal(Path.Combine(tmp.Path, "train"), trainer.SaveDir);
        var files = Directory.GetFiles(trainer.SaveDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(trainer.SaveDir, f).Replace('\\', '/')).Order().ToList();
        Assert.Equal(
            ["args.yaml", "confusion_matrix.png", "confusion_matrix_normalized.png", "results.csv", "results.png",
             "train_batch0.png", "train_batch1.png", "train_batch2.png", "val_batch0_labels.png", "val_batch0_pred.png",
             "weights/best.safetensors", "weights/last.safetensors"],
            files);
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            var image = Png.Load(Path.Combine(trainer.SaveDir, png));
            Assert.True(image.Width > 20 && image.Height > 20, png);
        }

        var csv = File.ReadAllLines(Path.Combine(trainer.SaveDir, "results.csv"));
        Assert.Equal("epoch,time,train/loss,metrics/accuracy_top1,metrics/accuracy_top5,val/loss,lr/pg0,lr/pg1,lr/pg2", csv[0]);
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("1,0,", csv[1], StringComparison.Ordinal);
        var yaml = File.ReadAllLines(Path.Combine(trainer.SaveDir, "args.yaml"));
        foreach (var key in TrainArgs.Keys.Select(k => k.Key).Append("save_dir"))
        {
            Assert.Contains(yaml, l => l.StartsWith(key + ": ", StringComparison.Ordinal));
        }

        Assert.Contains("epochs: 3", yaml);
        Assert.Contains("hidden: '16'", yaml);
    }

    [Fact]
    public void Run_directories_increment_unless_a_name_or_exist_ok_is_given()
    {
        using var tmp = new TempDirectory();
        var first = EngineTestRun.Create(EngineTestRun.Args(tmp.Path, ("epochs", "1"), ("plots", "false")));
        first.Train();
        var second = EngineTestRun.Create(EngineTestRun.Args(tmp.Path, ("epochs", "1"), ("plots", "false")));
        var reused = EngineTestRun.Create(EngineTestRun.Args(tmp.Path, ("epochs", "1"), ("exist_ok", "true")));
        var named = EngineTestRun.Create(EngineTestRun.Args(tmp.Path, ("epochs", "1"), ("name", "exp")));
        Assert.Equal(Path.Combine(tmp.Path, "train"), first.SaveDir);
        Assert.Equal(Path.Combine(tmp.Path, "train2"), second.SaveDir);
        Assert.Equal(Path.Combine(tmp.Path, "train"), reused.SaveDir);
        Assert.Equal(Path.Combine(tmp.Path, "exp"), named.SaveDir);
    }

    [Fact]
    public void A_handler_stop_request_ends_the_run_after_the_epoch_with_status_visible_at_train_end()
    {
        using var tmp = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var statuses = new List<string>();
        registry.Add(TrainerEvents.FitEpochEnd, t => t.RequestStop("remote cancel"));
        registry.Add(TrainerEvents.TrainEnd, t => statuses.Add($"end:{t.Status}:{t.StopReason}"));
        registry.Add(TrainerEvents.Teardown, t => statuses.Add($"teardown:{t.Status}"));
        var trainer = EngineTestRun.Create(EngineTestRun.Args(tmp.Path), registry);
        trainer.Train();
        Assert.Equal(["end:StoppedByCallback:remote cancel", "teardown:StoppedByCallback"], statuses);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(trainer.SaveDir, "results.csv")).Length);
    }

    [Fact]
    public void A_failing_handler_fails_the_run_but_train_end_and_teardown_still_run_with_the_error()
    {
        using var tmp = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var statuses = new List<string>();
        registry.Add(TrainerEvents.TrainEpochEnd, _ => throw new InvalidOperationException("handler broke"));
        registry.Add(TrainerEvents.TrainEnd, t => statuses.Add($"end:{t.Status}:{t.Error?.Message}"));
        registry.Add(TrainerEvents.Teardown, t => statuses.Add($"teardown:{t.Status}"));
        var trainer = EngineTestRun.Create(EngineTestRun.Args(tmp.Path), registry);
        var ex = Assert.Throws<InvalidOperationException>(trainer.Train);
        Assert.Equal("handler broke", ex.Message);
        Assert.Equal(["end:Failed:handler broke", "teardown:Failed"], statuses);
    }

    [Fact]
    public void A_missing_dataset_fails_the_run_with_the_dataset_error_and_still_tears_down()
    {
        using var tmp = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var statuses = new List<RunStatus>();
        registry.Add(TrainerEvents.Teardown, t => statuses.Add(t.Status));
        var args = EngineTestRun.Args(tmp.Path, ("data", tmp.Combine("no-such-folder")));
        var trainer = new Trainer(args, new TrainerOptions { Callbacks = registry, Time = new FrozenTimeProvider() });
        var ex = Assert.Throws<Stepwise.Tasks.DatasetException>(trainer.Train);
        Assert.Contains("no-such-folder", ex.Message, StringComparison.Ordinal);
        Assert.Equal([RunStatus.Failed], statuses);
    }

    [Fact]
    public void Early_stopping_ends_the_run_when_fitness_stops_improving()
    {
        using var tmp = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        // From epoch 1 on the weights are wiped after training, so validation fitness drops below epoch 0's.
        registry.Add(TrainerEvents.TrainEpochEnd, t =>
        {
            if (t.Epoch >= 1)
            {
                foreach (var p in t.Model!.Parameters())
                {
                    Array.Clear(p.Data);
                }
            }
        });
        var events = EngineTestRun.Record(registry);
        var trainer = EngineTestRun.Create(EngineTestRun.Args(tmp.Path, ("epochs", "10"), ("patience", "2"), ("lr0", "0.05"), ("optimizer", "SGD")), registry);
        trainer.Train();
        Assert.Equal(RunStatus.EarlyStopped, trainer.Status);
        Assert.Equal(2, trainer.Epoch);
        Assert.Equal(0, trainer.Stopper.BestEpoch);
        Assert.Equal(3, events.Count(e => e == "on_fit_epoch_end"));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(trainer.SaveDir, "results.csv")).Length);
        Assert.True(trainer.Metrics["metrics/accuracy_top1"] > 0.2, "final evaluation uses best (epoch 0) weights");
    }

    [Fact]
    public void The_built_in_dataset_is_learned_to_over_ninety_percent()
    {
        using var tmp = new TempDirectory();
        var data = Stepwise.Tasks.ShapesDataset.Generate(0, 28, trainPerClass: 300, valPerClass: 40);
        var args = EngineTestRun.Args(tmp.Path, ("epochs", "8"), ("batch", "32"), ("imgsz", "28"), ("hidden", "128"), ("plots", "false"),
            ("threads", "0"), ("optimizer", "AdamW"), ("lr0", "0.002"), ("momentum", "0.9"));
        var trainer = EngineTestRun.Create(args, data: data);
        trainer.Train();
        Assert.True(trainer.Metrics["metrics/accuracy_top1"] >= 0.9, $"top1 {trainer.Metrics["metrics/accuracy_top1"]}");
    }
}
