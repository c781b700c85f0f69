using Stepwise.Dvc.Internal;
using Stepwise.Dvc.Tests.Support;

namespace Stepwise.Dvc.Tests;

public sealed partial class LiveTests
{
    [Fact]
    public void Non_finite_values_are_strings_in_the_tsv_and_metrics_json()
    {
        using var dir = new TempDirectory();
        using (var live = new Live(Plain(dir.Path)))
        {
            live.LogMetric("a", double.NaN);
            live.LogMetric("b", double.PositiveInfinity);
            live.LogMetric("c", float.NegativeInfinity);
            live.LogMetric("f32", 0.1f);
            live.LogMetric("flag", true);
            live.LogMetric("text", "tab\there");
            live.NextStep();
        }

        Assert.Equal("step\ta\n0\tnan\n", dir.Read("dvclive", "plots", "metrics", "a.tsv"));
        Assert.Equal("step\tf32\n0\t0.1\n", dir.Read("dvclive", "plots", "metrics", "f32.tsv"));
        Assert.Equal("step\tflag\n0\tTrue\n", dir.Read("dvclive", "plots", "metrics", "flag.tsv"));
        Assert.Equal("step\ttext\n0\t\"tab\there\"\n", dir.Read("dvclive", "plots", "metrics", "text.tsv"));
        Assert.Equal(
            "{\n    \"a\": \"nan\",\n    \"b\": \"inf\",\n    \"c\": \"-inf\",\n    \"f32\": 0.10000000149011612,\n    \"flag\": true,\n    \"text\": \"tab\\there\",\n    \"step\": 0\n}\n",
            dir.Read("dvclive", "metrics.json"));
    }

    [Fact]
    public void Metrics_json_has_no_step_until_a_step_is_set_and_a_custom_step_continues()
    {
        using var dir = new TempDirectory();
        using var live = new Live(Plain(dir.Path));
        live.LogMetric("m", 1);
        live.MakeSummary();
        Assert.Equal("{\n    \"m\": 1\n}\n", dir.Read("dvclive", "metrics.json"));
        live.Step = 10;
        live.LogMetric("m", 2);
        live.MakeSummary();
        Assert.Equal(10L, live.ReadStep());
        live.NextStep();
        Assert.Equal(11, live.Step);
        Assert.Equal("step\tm\n0\t1\n10\t2\n", dir.Read("dvclive", "plots", "metrics", "m.tsv"));
    }

    [Fact]
    public void A_timestamp_choice_that_differs_from_the_header_keeps_the_header_columns()
    {
        using var dir = new TempDirectory();
        var logger = new ListLogger();
        var time = new ManualTimeProvider();
        using (var live = new Live(new LiveOptions { WorkingDirectory = dir.Path, SaveDvcExp = false, Environment = NoEnvironment, Logger = logger, TimeProvider = time }))
        {
            live.LogMetric("m", 1, timestamp: true);
            live.NextStep();
            time.Advance(TimeSpan.FromMilliseconds(23));
            live.LogMetric("m", 2);
            live.NextStep();
            live.LogMetric("m", 3);
            live.NextStep();
        }

        Assert.Equal("timestamp\tstep\tm\n1795320071698\t0\t1\n1795320071721\t1\t2\n1795320071721\t2\t3\n", dir.Read("dvclive", "plots", "metrics", "m.tsv"));
        Assert.Single(logger.Warnings, w => w.Contains("Metric 'm' was logged with timestamp=False", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_names_and_types_are_rejected_with_the_name_in_the_message_and_nothing_written()
    {
        using var dir = new TempDirectory();
        using var live = new Live(Plain(dir.Path));
        Assert.Contains("'../escape'", Assert.Throws<InvalidMetricNameException>(() => live.LogMetric("../escape", 1)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidMetricNameException>(() => live.LogMetric("", 1));
        Assert.Equal("Data 'obj' has not supported type <class 'System.Object'>", Assert.Throws<InvalidDataTypeException>(() => live.LogMetric("obj", new object())).Message);
        Assert.Throws<InvalidImageNameException>(() => live.LogImage("img.PNG", Png()));
        Assert.Throws<InvalidImageNameException>(() => live.LogImage("../img.png", Png()));
        Assert.Contains("is a PNG image but the name asks for JPEG", Assert.Throws<InvalidDataTypeException>(() => live.LogImage("x.jpg", Png())).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataTypeException>(() => live.LogImage("x.png", [1, 2, 3]));
        Assert.Throws<FileNotFoundException>(() => live.LogImage("x.png", "missing.png"));
        Assert.Equal(
            "Plot type 'heatmap' is not supported.\nSupported types are: ['calibration', 'confusion_matrix', 'det', 'precision_recall', 'roc']",
            Assert.Throws<InvalidPlotTypeException>(() => live.LogSklearnPlot("heatmap", [0], [0])).Message);
        Assert.Throws<InvalidDvcYamlException>(() => new Live(Plain(dir.Path, dvcYaml: "pipeline.yaml")));
        live.NextStep();
        Assert.False(Directory.Exists(dir.Combine("dvclive", "plots")));
        Assert.Equal("{\n    \"step\": 0\n}\n", dir.Read("dvclive", "metrics.json"));

        static byte[] Png() => Imaging.Png.Encode(new Imaging.RasterImage(2, 2, 3));
    }

    [Fact]
    public void An_unwritable_output_folder_is_a_clear_error_at_construction()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("dvclive"), "a file where the folder should be");
        Assert.ThrowsAny<IOException>(() => new Live(Plain(dir.Path)));
        Assert.Equal("a file where the folder should be", dir.Read("dvclive"));
    }

    [Fact]
    public void Custom_plots_keep_value_types_and_freeze_their_configuration()
    {
        using var dir = new TempDirectory();
        using (var live = new Live(Plain(dir.Path)))
        {
            var points = new[]
            {
                new Dictionary<string, object?> { ["x"] = 0, ["y"] = 0.0, ["z"] = double.NaN },
                new Dictionary<string, object?> { ["x"] = 1, ["y"] = 1.5, ["z"] = "a" },
            };
            live.LogPlot("sub/curve.json", points, x: "x", y: "y", template: "linear", title: "Curve", yLabel: "Y");
            live.LogPlot("sub/curve", points.Take(1), x: "other", y: ["y", "z"], template: "scatter");
        }

        Assert.Equal("[\n    {\n        \"x\": 0,\n        \"y\": 0.0,\n        \"z\": NaN\n    }\n]\n", dir.Read("dvclive", "plots", "custom", "sub", "curve.json"));
        Assert.Equal(
            "plots:\n- dvclive/plots/custom/sub/curve.json:\n    template: linear\n    x: x\n    y: y\n    title: Curve\n    y_label: Y\n",
            dir.Read("dvc.yaml"));
    }

    [Fact]
    public void Sklearn_curves_match_scikit_learn_values()
    {
        using var dir = new TempDirectory();
        using (var live = new Live(Plain(dir.Path)))
        {
            int[] labels = [0, 0, 1, 1];
            double[] scores = [0.1, 0.4, 0.35, 0.8];
            live.LogSklearnPlot("roc", labels, scores);
            live.LogSklearnPlot("precision_recall", labels, scores);
            live.LogSklearnPlot("det", labels, scores);
            live.LogSklearnPlot("calibration", labels, scores, name: "cal", options: new SklearnPlotOptions { Bins = 2 });
        }

        string Compact(string file) => Stepwise.Dvc.Formatting.PyJson.Serialize(JsonValues.Load(dir.Read("dvclive", "plots", "sklearn", file)), indent: null);
        // sklearn 1.2: roc_curve([0,0,1,1],[0.1,0.4,0.35,0.8]) → fpr [0,0,0.5,0.5,1], tpr [0,0.5,0.5,1,1], thresholds [1.8,0.8,0.4,0.35,0.1].
        Assert.Equal(
            "{\"roc\": [{\"fpr\": 0.0, \"tpr\": 0.0, \"threshold\": 1.8}, {\"fpr\": 0.0, \"tpr\": 0.5, \"threshold\": 0.8}, {\"fpr\": 0.5, \"tpr\": 0.5, \"threshold\": 0.4}, "
            + "{\"fpr\": 0.5, \"tpr\": 1.0, \"threshold\": 0.35}, {\"fpr\": 1.0, \"tpr\": 1.0, \"threshold\": 0.1}]}",
            Compact("roc.json"));
        // precision [0.5,0.667,0.5,1,1], recall [1,1,0.5,0.5,0], thresholds [0.1,0.35,0.4,0.8]; the last point has no threshold.
        Assert.Equal(
            "{\"precision_recall\": [{\"precision\": 0.5, \"recall\": 1.0, \"threshold\": 0.1}, {\"precision\": 0.6666666666666666, \"recall\": 1.0, \"threshold\": 0.35}, "
            + "{\"precision\": 0.5, \"recall\": 0.5, \"threshold\": 0.4}, {\"precision\": 1.0, \"recall\": 0.5, \"threshold\": 0.8}]}",
            Compact("precision_recall.json"));
        // det_curve: fpr [0.5,0.5,0], fnr [0,0.5,0.5], thresholds [0.35,0.4,0.8].
        Assert.Equal(
            "{\"det\": [{\"fpr\": 0.5, \"fnr\": 0.0, \"threshold\": 0.35}, {\"fpr\": 0.5, \"fnr\": 0.5, \"threshold\": 0.4}, {\"fpr\": 0.0, \"fnr\": 0.5, \"threshold\": 0.8}]}",
            Compact("det.json"));
        // calibration_curve(n_bins=2): bins [0,0.5,1] → prob_true [0.3333333333333333, 1.0], prob_pred [0.2833333333333333, 0.8].
        Assert.Equal(
            "{\"calibration\": [{\"prob_true\": 0.3333333333333333, \"prob_pred\": 0.2833333333333333}, {\"prob_true\": 1.0, \"prob_pred\": 0.8}]}",
            Compact("cal.json"));
        Assert.Contains("- dvclive/plots/sklearn/cal.json:\n    template: simple\n    x: prob_pred\n    y: prob_true\n    title: Calibration Curve\n", dir.Read("dvc.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_git_experiments_and_artifacts_are_warnings_and_files_are_still_written()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("model.bin"), "x");
        var logger = new ListLogger();
        using (var live = new Live(new LiveOptions { WorkingDirectory = dir.Path, Environment = NoEnvironment, Logger = logger }))
        {
            Assert.False(live.SaveDvcExpEnabled);
            live.LogArtifact("model.bin", type: "model");
            live.LogMetric("m", 1);
            live.NextStep();
        }

        Assert.Contains("Can't save experiment without a Git Repo.\nCreate a Git repo (`git init`) and commit (`git commit`).", logger.Warnings);
        Assert.Contains("A DVC repo is required to log artifacts", logger.Warnings);
        Assert.False(File.Exists(dir.Combine("model.bin.dvc")));
        Assert.True(File.Exists(dir.Combine("dvclive", "metrics.json")));
    }

    [Fact]
    public void A_git_repo_without_commits_turns_experiment_saving_off_and_dvc_is_initialised()
    {
        using var dir = new TempDirectory();
        GitRepo.Git(dir.Path, "init", "-q", "-b", "main");
        var logger = new ListLogger();
        using (var live = new Live(new LiveOptions { WorkingDirectory = dir.Path, Environment = NoEnvironment, Logger = logger }))
        {
            Assert.False(live.SaveDvcExpEnabled);
            Assert.Equal(new string('0', 40), live.BaselineRev);
        }

        Assert.Contains("Can't save experiment to an empty Git Repo.\nAdd a commit (`git commit`) to save experiments.", logger.Warnings);
        Assert.True(File.Exists(dir.Combine(".dvc", "config")));
        Assert.Contains("A  .dvc/.gitignore", GitRepo.Git(dir.Path, "status", "--short"), StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_a_pipeline_no_experiment_is_saved_and_the_step_signal_goes_to_the_dvc_root()
    {
        using var dir = new TempDirectory();
        GitRepo.InitGitDvc(dir.Path);
        var env = new Dictionary<string, string> { ["DVC_ROOT"] = dir.Path, ["DVC_EXP_BASELINE_REV"] = GitRepo.Git(dir.Path, "rev-parse", "HEAD").Trim() };
        var signal = dir.Combine(".dvc", "tmp", "exps", "run", "DVCLIVE_STEP_COMPLETED");
        using (var live = new Live(new LiveOptions { WorkingDirectory = dir.Path, Environment = env }))
        {
            Assert.False(live.SaveDvcExpEnabled);
            live.LogMetric("m", 1);
            live.NextStep();
            Assert.Equal($"{{\"pid\": {Environment.ProcessId}, \"step\": 0}}", File.ReadAllText(signal));
        }

        Assert.False(File.Exists(signal));
        Assert.Empty(GitRepo.Git(dir.Path, "for-each-ref", "refs/exps"));
        // Inside `dvc exp run` the outputs are staged for DVC's own commit.
        Assert.Contains("A  dvclive/metrics.json", GitRepo.Git(dir.Path, "status", "--short"), StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_flags_follow_the_reference_truthiness_rule()
    {
        foreach (var truthy in new[] { "1", "true", "YES", "y", "10", "no-yes" })
        {
            Assert.True(EnvFlags.IsTruthy(truthy), truthy);
        }

        foreach (var falsy in new[] { "0", "false", "", "no", "off" })
        {
            Assert.False(EnvFlags.IsTruthy(falsy), falsy);
        }

        using var dir = new TempDirectory();
        using (var first = new Live(Plain(dir.Path)))
        {
            first.LogMetric("m", 1);
            first.NextStep();
        }

        using var resumed = new Live(new LiveOptions { WorkingDirectory = dir.Path, SaveDvcExp = false, Environment = new Dictionary<string, string> { ["DVCLIVE_RESUME"] = "true" } });
        Assert.Equal(1, resumed.Step);
    }

    [Fact]
    public void System_monitoring_logs_the_totals_to_the_summary_only()
    {
        using var dir = new TempDirectory();
        using var live = new Live(Plain(dir.Path));
        live.MonitorSystem(TimeSpan.FromMilliseconds(50), 5);
        var system = (IDictionary<string, object?>)live.Summary["system"]!;
        Assert.Equal((double)Environment.ProcessorCount, ((IDictionary<string, object?>)system["cpu"]!)["count"]);
        Assert.True((double)((IDictionary<string, object?>)system["ram"]!)["total (GB)"]! > 0);
        Assert.False(Directory.Exists(dir.Combine("dvclive", "plots", "metrics", "system", "cpu")));
        var sampler = new SystemSampler();
        sampler.Sample(new Dictionary<string, string> { ["main"] = dir.Path });
        var sample = sampler.Sample(new Dictionary<string, string> { ["main"] = dir.Path });
        Assert.InRange(sample["system/disk/usage (%)/main"], 0, 100);
        Assert.InRange(sample["system/ram/usage (%)"], 0, 100);
    }
}
