using System.Globalization;
using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.TensorBoard.Callbacks;
using Stepwise.TensorBoard.Model;
using Stepwise.TensorBoard.Reading;
using Stepwise.TensorBoard.Tests.Support;
using Stepwise.Tasks;

namespace Stepwise.TensorBoard.Tests.Callbacks;

public class TensorBoardCallbacksTests
{
    private static readonly ClassificationData TinyData = ShapesDataset.Generate(seed: 3, size: 12, trainPerClass: 4, valPerClass: 2);

    [Fact]
    public void A_training_run_logs_losses_lr_and_metrics_per_epoch_that_match_results_csv()
    {
        using var dir = new TempDirectory();
        var console = new StringWriter();
        var registry = new CallbackRegistry(rank: RankInfo.Single).AddTensorBoard(new TensorBoardCallbackOptions { Console = console });
        var trainer = Create(dir.Path, registry);
        trainer.Train();

        Assert.Contains($"tensorboard --logdir {trainer.SaveDir}", console.ToString(), StringComparison.Ordinal);
        var events = EventFileReader.ReadRun(trainer.SaveDir).ToList();
        var scalars = events.SelectMany(e => e.Values.Where(v => v.Kind == SummaryValueKind.Scalar).Select(v => (v.Tag, e.Step, v.Scalar))).ToList();
        var csv = File.ReadAllLines(Path.Combine(trainer.SaveDir, "results.csv"));
        var header = csv[0].Split(',');
        foreach (string column in new[] { "train/loss", "metrics/accuracy_top1", "metrics/accuracy_top5", "val/loss", "lr/pg0", "lr/pg1", "lr/pg2" })
        {
            var series = scalars.Where(s => s.Tag == column).ToList();
            Assert.Equal([1L, 2L, 3L], series.Select(s => s.Step));
            int c = Array.IndexOf(header, column);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                double expected = double.Parse(csv[epoch + 1].Split(',')[c], CultureInfo.InvariantCulture);
                Assert.Equal((float)expected, (float)series[epoch].Scalar, 5);
            }
        }
    }

    [Fact]
    public void A_training_run_logs_the_graph_weight_histograms_images_and_hparams()
    {
        using var dir = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single).AddTensorBoard();
        var trainer = Create(dir.Path, registry);
        trainer.Train();
        var events = EventFileReader.ReadRun(trainer.SaveDir).ToList();

        var graph = Assert.Single(events, e => e.Kind == EventKind.Graph).Graph!;
        Assert.Equal("input/input", graph.Nodes[0].Name);
        Assert.Equal("output/output", graph.Nodes[^1].Name);
        Assert.All(graph.Nodes.Skip(1), n => Assert.All(n.Inputs, i => Assert.Contains(graph.Nodes, m => m.Name == i)));
        Assert.Contains(graph.Nodes, n => n.Op == "Linear");

        var values = events.SelectMany(e => e.Values.Select(v => (e.Step, v))).ToList();
        foreach (var parameter in trainer.Model!.Parameters())
        {
            var histograms = values.Where(x => x.v.Tag == "weights/" + parameter.Name).ToList();
            Assert.Equal([1L, 2L, 3L], histograms.Select(h => h.Step));
            Assert.Equal(parameter.Data.Length, histograms[^1].v.Histogram!.Count);
            Assert.Equal(parameter.Data.Length, histograms[^1].v.Histogram!.BucketCounts.Sum());
        }

        Assert.Contains(values, x => x.v.Kind == SummaryValueKind.Image && x.v.Tag.StartsWith("val/val_batch0", StringComparison.Ordinal));
        var hparams = values.Where(x => x.v.Kind == SummaryValueKind.HParams).Select(x => x.v.HParams!).ToList();
        Assert.Equal([HParamsKind.Experiment, HParamsKind.SessionStart, HParamsKind.SessionEnd], hparams.Select(h => h.Kind));
        Assert.Contains(hparams[0].HParamInfos, i => i.Name == "epochs" && i.Type == HParamType.Float64);
        Assert.Contains("metrics/accuracy_top1", hparams[0].MetricTags);
        Assert.Contains("final/metrics/accuracy_top1", hparams[0].MetricTags);
        Assert.Contains(hparams[1].Values, kv => kv.Key == "epochs" && (double)kv.Value == 3);
        Assert.Equal((int)Stepwise.TensorBoard.Writing.HParamsStatus.Success, hparams[2].Status);
        Assert.Contains(values, x => x.v.Tag == "final/metrics/accuracy_top1" && x.v.Scalar == (float)trainer.Metrics["metrics/accuracy_top1"]);
    }

    [Fact]
    public void A_writer_that_cannot_be_created_is_a_warning_and_training_goes_on()
    {
        using var dir = new TempDirectory();
        var logger = new ListLogger();
        var registry = new CallbackRegistry(logger, RankInfo.Single);
        new TensorBoardCallbacks(null, _ => throw new IOException("disk full")).Register(registry);
        var trainer = Create(dir.Path, registry, logger);
        trainer.Train();
        Assert.Equal(RunStatus.Completed, trainer.Status);
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("disk full", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(trainer.SaveDir, "*tfevents*"));
    }

    [Fact]
    public void Teardown_closes_the_writer_so_nothing_is_left_open()
    {
        using var dir = new TempDirectory();
        var callbacks = new TensorBoardCallbacks();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        callbacks.Register(registry);
        var trainer = Create(dir.Path, registry, epochs: 1);
        trainer.Train();
        Assert.Null(callbacks.Writer);
        // A closed file can be opened exclusively.
        string file = Directory.GetFiles(trainer.SaveDir, "*tfevents*").Single();
        using var exclusive = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.True(exclusive.Length > 40);
    }

    [Fact]
    public void The_integration_attaches_under_the_tensorboard_settings_key()
    {
        var integration = new TensorBoardIntegration();
        Assert.Equal(("tensorboard", "tensorboard"), (integration.Name, integration.SettingKey));
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        registry.AddTensorBoard().AddTensorBoard();
        Assert.Equal(1, registry.Count(TrainerEvents.FitEpochEnd));
    }

    private static Trainer Create(string project, CallbackRegistry registry, ILogger? logger = null, int epochs = 3)
    {
        var args = TrainArgs.Parse(new Dictionary<string, string>
        {
            ["project"] = project,
            ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
            ["batch"] = "16",
            ["imgsz"] = "12",
            ["hidden"] = "16",
            ["threads"] = "1",
            ["verbose"] = "false",
        });
        return new Trainer(args, new TrainerOptions
        {
            Callbacks = registry,
            Logger = logger,
            Time = ManualTimeProvider.AtUnixSeconds(1750000000),
            Data = TinyData,
        });
    }
}
