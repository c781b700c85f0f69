using System.Diagnostics;
using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc.Tests;

public sealed partial class LiveTests
{
    [Fact]
    public async Task A_training_process_killed_mid_run_leaves_a_valid_folder_that_resume_continues()
    {
        using var dir = new TempDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Stepwise.Cli.dll"), "train", "data=shapes", "imgsz=12", "hidden=16", "batch=64",
            "epochs=500", "plots=false", "verbose=false", "dvc=true", $"project={dir.Combine("runs")}",
        })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["STEPWISE_CONFIG_DIR"] = dir.Combine("config");
        var live = dir.Combine("dvclive");
        Directory.CreateDirectory(live);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(live, "metrics.json") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        void Check(object? sender, FileSystemEventArgs e)
        {
            try
            {
                if (JsonValues.LoadObject(File.ReadAllText(Path.Combine(live, "metrics.json"))).TryGetValue("step", out var s) && s is long step && step >= 3)
                {
                    reached.TrySetResult();
                }
            }
            catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
            {
                // Between two writes; the next event checks again.
            }
        }

        watcher.Changed += Check;
        watcher.Created += Check;
        watcher.Renamed += (s, e) => Check(s, e);
        watcher.EnableRaisingEvents = true;
        using var process = Process.Start(start)!;
        var finished = await Task.WhenAny(reached.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(finished == reached.Task, "the run did not reach step 3: " + (process.HasExited ? await process.StandardError.ReadToEndAsync() : "timeout"));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();

        // Whatever instant the kill hit: every file DVC reads parses, and every row is whole.
        var summary = JsonValues.LoadObject(File.ReadAllText(Path.Combine(live, "metrics.json")));
        Assert.NotNull(YamlValues.Load(File.ReadAllText(dir.Combine("dvc.yaml"))));
        Assert.NotNull(YamlValues.Load(File.ReadAllText(Path.Combine(live, "params.yaml"))));
        long lastComplete = long.MaxValue;
        var tsvs = Directory.GetFiles(Path.Combine(live, "plots", "metrics"), "*.tsv", SearchOption.AllDirectories);
        foreach (var tsv in tsvs)
        {
            var text = File.ReadAllText(tsv);
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
            var lines = text.TrimEnd('\n').Split('\n');
            Assert.Equal(2, lines[0].Split('\t').Length);
            var steps = lines.Skip(1).Select(l => long.Parse(l.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, steps.Count).Select(i => (long)i), steps);
            lastComplete = Math.Min(lastComplete, steps[^1]);
        }

        Assert.True((long)summary["step"]! >= 3);

        // Resume continues after the last step that has rows (metrics.json may lag one step behind).
        using (var resumed = new Live(Plain(dir.Path, resume: true)))
        {
            Assert.InRange(resumed.Step, lastComplete + 1, lastComplete + 2);
            Assert.True(resumed.Step > (long)summary["step"]!);
            resumed.LogMetric("train/loss", 0.25);
            resumed.NextStep();
        }

        var loss = File.ReadAllLines(Path.Combine(live, "plots", "metrics", "train", "loss.tsv")).Skip(1).Select(l => l.Split('\t')[0]).ToList();
        Assert.Equal(loss.Count, loss.Distinct().Count());
        Assert.Empty(Directory.GetFiles(live, "*" + ".swtmp", SearchOption.AllDirectories));
    }
}
