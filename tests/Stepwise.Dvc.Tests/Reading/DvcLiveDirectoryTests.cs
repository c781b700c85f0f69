using Stepwise.Dvc.Reading;
using Stepwise.Dvc.Tests.Support;

namespace Stepwise.Dvc.Tests.Reading;

public sealed class DvcLiveDirectoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stepwise-dvc-read-" + Guid.NewGuid().ToString("N"));

    public DvcLiveDirectoryTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_golden_studio_folder_reads_back_params_summary_series_with_timestamps_and_the_image()
    {
        var live = DvcLiveDirectory.Read(Golden.Dir("studio", "output", "dvclive"));
        Assert.Equal(2L, Assert.Single(live.Params, p => p.Key == "epochs").Value);
        Assert.Equal(1L, live.Step);
        Assert.Equal([new("loss", 0.5), new("train/acc", 0.6)], live.NumericSummary());
        Assert.Equal(["loss", "train/acc"], live.Series.Select(s => s.Name));
        Assert.Equal([new DvcLivePoint(0, 1.0, null), new DvcLivePoint(1, 0.5, null)], live.Series[0].Points);
        Assert.Equal([new DvcLivePoint(0, 0.5, 1795320071698), new DvcLivePoint(1, 0.6, 1795320071721)], live.Series[1].Points);
        var image = Assert.Single(live.Images);
        Assert.Equal(("img.png", 0L), (image.Name, image.Step));
        Assert.True(File.Exists(image.Path));
    }

    [Fact]
    public void Images_in_a_folder_named_by_step_get_that_step_and_others_step_zero()
    {
        var live = DvcLiveDirectory.Read(Golden.Dir("images", "output", "dvclive"));
        Assert.Equal(
            [("from_path.png", 0L), ("np.png", 0L), ("slider/0.png", 0L), ("slider/1.png", 1L), ("slider/2.png", 2L), ("sub/dir/photo.jpg", 0L)],
            live.Images.Select(i => (i.Name, i.Step)));
        Assert.Equal([0.0, 1.0, 2.0], Assert.Single(live.Series).Points.Select(p => p.Value));
        Assert.Empty(live.Params);
    }

    [Fact]
    public void What_our_Live_writes_reads_back_the_same_including_non_finite_values()
    {
        var work = Path.Combine(_dir, "work");
        Directory.CreateDirectory(work);
        using (var live = new Live(new LiveOptions { WorkingDirectory = work, Environment = new Dictionary<string, string>(), SaveDvcExp = false, DvcYaml = null }))
        {
            live.LogParam("lr", 0.01);
            live.LogParams(new Dictionary<string, object?> { ["model"] = new Dictionary<string, object?> { ["depth"] = 3L }, ["tags"] = new List<object?> { "a", "b" } });
            for (var i = 0; i < 3; i++)
            {
                live.LogMetric("val/loss", i == 1 ? double.NaN : 1.0 / (i + 1));
                live.LogMetric("summary_only", i * 2L, plot: false);
                live.NextStep();
            }
        }

        var read = DvcLiveDirectory.Read(DvcLiveDirectory.Locate(work)!);
        Assert.Equal(0.01, read.Params["lr"]);
        Assert.Equal(3L, ((IEnumerable<KeyValuePair<string, object?>>)read.Params["model"]!).Single().Value);
        Assert.Equal(2L, read.Step);
        var series = Assert.Single(read.Series);
        Assert.Equal("val/loss", series.Name);
        Assert.Equal([0L, 1L, 2L], series.Points.Select(p => p.Step));
        Assert.True(double.IsNaN(series.Points[1].Value));
        Assert.Contains(new KeyValuePair<string, double>("summary_only", 4), read.NumericSummary());
    }

    [Fact]
    public void A_malformed_tsv_is_reported_with_its_file_and_line()
    {
        var metrics = Path.Combine(_dir, "plots", "metrics");
        Directory.CreateDirectory(metrics);
        File.WriteAllText(Path.Combine(metrics, "loss.tsv"), "step\tloss\n0\t1.0\nx\t0.5\n");
        var error = Assert.Throws<DvcLiveFormatException>(() => DvcLiveDirectory.Read(_dir));
        Assert.Contains("loss.tsv:3: step 'x' is not a whole number", error.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(metrics, "loss.tsv"), "step\tloss\n0\t1.0\t7\n");
        Assert.Contains("loss.tsv:2: expected 2 tab-separated cells, got 3", Assert.Throws<DvcLiveFormatException>(() => DvcLiveDirectory.Read(_dir)).Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(metrics, "loss.tsv"), "step\tloss\n0\tabc\n");
        Assert.Contains("loss.tsv:2: value 'abc' is not a number", Assert.Throws<DvcLiveFormatException>(() => DvcLiveDirectory.Read(_dir)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_params_or_metrics_files_name_the_file()
    {
        File.WriteAllText(Path.Combine(_dir, "params.yaml"), "a: [1, 2\n");
        Assert.Contains("params.yaml", Assert.Throws<DvcLiveFormatException>(() => DvcLiveDirectory.Read(_dir)).Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "params.yaml"), "- 1\n- 2\n");
        Assert.Contains("expected a mapping", Assert.Throws<DvcLiveFormatException>(() => DvcLiveDirectory.Read(_dir)).Message, StringComparison.Ordinal);
        File.Delete(Path.Combine(_dir, "params.yaml"));
        File.WriteAllText(Path.Combine(_dir, "metrics.json"), "{\"a\": ");
        Assert.Contains("metrics.json:1: not valid JSON", Assert.Throws<DvcLiveFormatException>(() => DvcLiveDirectory.Read(_dir)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_finds_the_folder_itself_or_a_dvclive_folder_inside_and_nothing_elsewhere()
    {
        Assert.Null(DvcLiveDirectory.Locate(_dir));
        Assert.Null(DvcLiveDirectory.Locate(Path.Combine(_dir, "missing")));
        var output = Golden.Dir("studio", "output");
        Assert.Equal(Path.Combine(output, "dvclive"), DvcLiveDirectory.Locate(output));
        Assert.Equal(Path.Combine(output, "dvclive"), DvcLiveDirectory.Locate(Path.Combine(output, "dvclive")));
    }
}
