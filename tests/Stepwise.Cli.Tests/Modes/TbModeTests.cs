using System.Text.Json.Nodes;
using Stepwise.Cli.Tests.Support;

namespace Stepwise.Cli.Tests.Modes;

public sealed class TbModeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stepwise-cli-tb-" + Guid.NewGuid().ToString("N"));

    public TbModeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Train_with_tensorboard_writes_an_event_file_that_tb_ls_and_export_read_back()
    {
        var train = await CliProcess.RunAsync(_dir,
            ["train", "tensorboard=true", "epochs=2", "imgsz=12", "hidden=16", "batch=64", "threads=1", "plots=false", $"project={_dir}", "name=run"]);
        Assert.True(train.ExitCode == 0, train.Error);
        string run = Path.Combine(_dir, "run");
        Assert.Contains($"tensorboard --logdir {run}", train.Out, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(run, "events.out.tfevents.*"));

        var ls = await CliProcess.RunAsync(_dir, ["tb", "ls", run]);
        Assert.True(ls.ExitCode == 0, ls.Error);
        Assert.Matches(@"train/loss\s+scalar\s+2\s+1-2", ls.Out);
        Assert.Matches(@"metrics/accuracy_top1\s+scalar\s+2\s+1-2", ls.Out);
        Assert.Matches(@"lr/pg0\s+scalar\s+2\s+1-2", ls.Out);
        Assert.Contains("(graph)", ls.Out, StringComparison.Ordinal);
        Assert.Matches(@"weights/fc1.weight\s+histogram\s+2\s+1-2", ls.Out);

        var csv = await CliProcess.RunAsync(_dir, ["tb", "export", run, "--format", "csv"]);
        Assert.Equal(0, csv.ExitCode);
        var lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("run,tag,step,wall_time,value", lines[0]);
        var results = File.ReadAllLines(Path.Combine(run, "results.csv"));
        string lastLoss = results[^1].Split(',')[Array.IndexOf(results[0].Split(','), "train/loss")];
        var exported = lines.Single(l => l.StartsWith(".,train/loss,2,", StringComparison.Ordinal)).Split(',');
        Assert.Equal((float)double.Parse(lastLoss, System.Globalization.CultureInfo.InvariantCulture), float.Parse(exported[4], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_tensorboard_histograms_setting_turns_weight_histograms_off()
    {
        var train = await CliProcess.RunAsync(_dir,
            ["train", "tensorboard_histograms=false", "epochs=1", "imgsz=12", "hidden=16", "batch=64", "threads=1", "plots=false", "verbose=false", $"project={_dir}", "name=run"]);
        Assert.True(train.ExitCode == 0, train.Error);

        var ls = await CliProcess.RunAsync(_dir, ["tb", "ls", Path.Combine(_dir, "run")]);

        Assert.Matches(@"train/loss\s+scalar\s+1\s+1", ls.Out);
        Assert.DoesNotContain("weights/", ls.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_as_json_groups_scalars_by_run_and_tag()
    {
        string run = Path.Combine(_dir, "logs");
        WriteScalars(run, ("loss", 0, 0.5), ("loss", 1, 0.25), ("acc", 1, 0.75));
        string outFile = Path.Combine(_dir, "scalars.json");

        var result = await CliProcess.RunAsync(_dir, ["tb", "export", run, "--format", "json", "--out", outFile]);

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(File.ReadAllText(outFile))!;
        var loss = json["runs"]!["."]!["loss"]!.AsArray();
        Assert.Equal([0L, 1L], loss.Select(p => p!["step"]!.GetValue<long>()));
        Assert.Equal([0.5, 0.25], loss.Select(p => p!["value"]!.GetValue<double>()));
        Assert.Equal(0.75, json["runs"]!["."]!["acc"]![0]!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_corrupt_record_is_reported_with_file_and_offset_and_the_rest_is_still_listed()
    {
        string run = Path.Combine(_dir, "logs");
        string file = WriteScalars(run, ("loss", 0, 0.5), ("loss", 1, 0.25), ("loss", 2, 0.125));
        var bytes = File.ReadAllBytes(file);
        bytes[40 + 14] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var result = await CliProcess.RunAsync(_dir, ["tb", "ls", run]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{file}: byte 40: data checksum mismatch", result.Error, StringComparison.Ordinal);
        Assert.Matches(@"loss\s+scalar\s+2\s+1-2", result.Out);
    }

    [Fact]
    public async Task Bad_arguments_are_usage_errors_naming_the_problem()
    {
        var noCommand = await CliProcess.RunAsync(_dir, ["tb"]);
        Assert.Equal(2, noCommand.ExitCode);
        Assert.Contains("stepwise tb ls <logdir>", noCommand.Error, StringComparison.Ordinal);

        var badFormat = await CliProcess.RunAsync(_dir, ["tb", "export", _dir, "--format", "xml"]);
        Assert.Equal(2, badFormat.ExitCode);
        Assert.Contains("--format must be csv or json, got 'xml'", badFormat.Error, StringComparison.Ordinal);

        var missing = await CliProcess.RunAsync(_dir, ["tb", "ls", Path.Combine(_dir, "nope")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
    }

    private static string WriteScalars(string run, params (string Tag, long Step, double Value)[] points)
    {
        using var writer = new Stepwise.TensorBoard.Writing.SummaryWriter(run);
        foreach (var (tag, step, value) in points)
        {
            writer.AddScalar(tag, value, step, 1700000000 + step);
        }

        return writer.FilePath;
    }
}
