using Stepwise.Callbacks;
using Stepwise.Dvc.Tests.Support;
using Stepwise.Engine;
using Stepwise.Tasks;

namespace Stepwise.Dvc.Tests.Callbacks;

public sealed class DvcCallbacksTests
{
    private static readonly Lazy<ClassificationData> TinyData = new(() => ShapesDataset.Generate(seed: 3, size: 12, trainPerClass: 4, valPerClass: 2));

    private static Trainer CreateTrainer(string project, CallbackRegistry registry, int epochs = 3) =>
        new(
            TrainArgs.Parse(new Dictionary<string, string>
            {
                ["project"] = project,
                ["epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["batch"] = "16",
                ["imgsz"] = "12",
                ["hidden"] = "16",
                ["threads"] = "1",
                ["verbose"] = "false",
            }),
            new TrainerOptions { Callbacks = registry, Data = TinyData.Value, Time = new ManualTimeProvider() });

    private static DvcCallbackOptions In(string cwd) => new()
    {
        CreateLiveOptions = trainer => new LiveOptions
        {
            WorkingDirectory = cwd,
            SaveDvcExp = true,
            CacheImages = true,
            Resume = trainer.Args.Resume,
            TimeProvider = trainer.Time,
            Environment = new Dictionary<string, string>(),
        },
    };

    [Fact]
    public void A_three_epoch_run_logs_what_the_reference_callbacks_log()
    {
        using var dir = new TempDirectory();
        GitRepo.InitGitDvc(dir.Path);
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        Assert.True(registry.AddDvc(In(dir.Path)));
        var trainer = CreateTrainer(dir.Combine("runs"), registry);
        trainer.Train();

        var files = Golden.OurFiles(dir.Path);
        var metrics = (IDictionary<string, object?>)Internal.JsonValues.Load(dir.Read("dvclive", "metrics.json"))!;
        Assert.Equal(2L, metrics["step"]);
        Assert.Contains("train", metrics.Keys);
        Assert.Contains("lr", metrics.Keys);
        Assert.IsType<long>(((IDictionary<string, object?>)metrics["model"]!)["parameters"]);
        var loss = dir.Read("dvclive", "plots", "metrics", "train", "loss.tsv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("step\tloss", loss[0]);
        Assert.Equal(["0", "1", "2"], loss.Skip(1).Select(l => l.Split('\t')[0]));
        Assert.DoesNotContain("dvclive/plots/metrics/model/parameters.tsv", files);
        Assert.Contains("params:\n- dvclive/params.yaml\n", dir.Read("dvc.yaml"), StringComparison.Ordinal);
        Assert.Contains("epochs: 3\n", dir.Read("dvclive", "params.yaml"), StringComparison.Ordinal);
        Assert.Contains("- dvclive/plots/sklearn/cf.json:\n    template: confusion_normalized\n", dir.Read("dvc.yaml"), StringComparison.Ordinal);
        Assert.Contains("  best:\n    path: dvclive/artifacts/best.safetensors\n    type: model\n", dir.Read("dvc.yaml"), StringComparison.Ordinal);
        Assert.Contains("dvclive/artifacts/best.safetensors.dvc", files);
        Assert.Contains("dvclive/plots/images.dvc", files);
        foreach (var image in new[] { "train/train_batch/0.png", "train/train_batch/2.png", "val/val_batch_labels/0.png", "val/val_batch_pred/0.png", "val/confusion_matrix_normalized.png" })
        {
            Assert.Contains("dvclive/plots/images/" + image, files);
        }

        // One entry per counted validation sample in the confusion matrix.
        var cf = (List<object?>)Internal.JsonValues.Load(dir.Read("dvclive", "plots", "sklearn", "cf.json"))!;
        Assert.Equal(trainer.Validator.ConfusionMatrix!.Total, cf.Count);

        // The experiment is committed under refs/exps while the branch and index stay where they were.
        var refs = GitRepo.Git(dir.Path, "for-each-ref", "--format=%(refname)", "refs/exps").Trim();
        Assert.StartsWith("refs/exps/", refs, StringComparison.Ordinal);
        Assert.Equal(string.Empty, GitRepo.Git(dir.Path, "status", "--porcelain", "--untracked-files=no"));
        Assert.Contains("dvclive/plots/metrics/train/loss.tsv", GitRepo.Git(dir.Path, "ls-tree", "-r", "--name-only", refs), StringComparison.Ordinal);
    }

    [Fact]
    public void A_logger_that_cannot_start_is_a_warning_and_training_completes()
    {
        using var dir = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var logger = new ListLogger();
        registry.AddDvc(new DvcCallbackOptions
        {
            CreateLiveOptions = _ => new LiveOptions { WorkingDirectory = dir.Path, DvcYaml = "pipeline.yaml", Environment = new Dictionary<string, string>() },
        });
        var trainer = new Trainer(
            TrainArgs.Parse(new Dictionary<string, string> { ["project"] = dir.Combine("runs"), ["epochs"] = "1", ["batch"] = "16", ["imgsz"] = "12", ["hidden"] = "8", ["threads"] = "1", ["verbose"] = "false" }),
            new TrainerOptions { Callbacks = registry, Data = TinyData.Value, Logger = logger, Time = new ManualTimeProvider() });
        trainer.Train();

        Assert.Equal(RunStatus.Completed, trainer.Status);
        Assert.Contains(logger.Warnings, w => w.Contains("DVCLive could not be initialized", StringComparison.Ordinal) && w.Contains("dvc.yaml", StringComparison.Ordinal));
        Assert.False(Directory.Exists(dir.Combine("dvclive")));
    }

    [Theory]
    [InlineData("/runs/train_batch0.png", "train_batch/0.png")]
    [InlineData("/runs/val_batch12_pred.png", "val_batch_pred/12.png")]
    [InlineData("/runs/results.png", "results.png")]
    public void Batch_mosaics_are_grouped_for_the_step_slider(string path, string expected) =>
        Assert.Equal(expected, DvcCallbacks.ImageName(path));

    [Fact]
    public void A_stopped_and_resumed_run_continues_the_same_dvclive_steps()
    {
        using var dir = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        registry.AddDvc(In(dir.Path));
        registry.Add(TrainerEvents.FitEpochEnd, t =>
        {
            if (t.Epoch == 1)
            {
                t.RequestStop("paused");
            }
        });
        var stopped = CreateTrainer(dir.Combine("runs"), registry);
        stopped.Train();
        Assert.Equal(RunStatus.StoppedByCallback, stopped.Status);
        Assert.Equal("1", dir.Read("dvclive", "plots", "metrics", "train", "loss.tsv").Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split('\t')[0]);

        var resumeRegistry = new CallbackRegistry(rank: RankInfo.Single);
        resumeRegistry.AddDvc(In(dir.Path));
        var resumed = new Trainer(
            TrainArgs.Parse(new Dictionary<string, string> { ["resume"] = "true", ["model"] = stopped.LastPath }),
            new TrainerOptions { Callbacks = resumeRegistry, Data = TinyData.Value, Time = new ManualTimeProvider() });
        resumed.Train();

        var steps = dir.Read("dvclive", "plots", "metrics", "train", "loss.tsv").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split('\t')[0]);
        Assert.Equal(["0", "1", "2"], steps);
        Assert.Contains("\"step\": 2\n", dir.Read("dvclive", "metrics.json"), StringComparison.Ordinal);
    }
}
