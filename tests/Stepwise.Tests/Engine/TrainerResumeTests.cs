using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Serialization;

namespace Stepwise.Tests.Engine;

public class TrainerResumeTests
{
    private static TrainArgs Args(string project, string name, int epochs = 4) =>
        EngineTestRun.Args(project, ("name", name), ("epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("dropout", "0.2"), ("plots", "false"), ("optimizer", "SGD"), ("lr0", "0.05"));

    private static Dictionary<string, float[]> Tensors(string path) =>
        SafeTensorsFile.Read(path).Tensors.Where(t => !t.Name.StartsWith("optimizer.", StringComparison.Ordinal)).ToDictionary(t => t.Name, t => t.Data);

    private static void AssertSameRun(string expectedDir, string actualDir)
    {
        Assert.Equal(File.ReadAllText(Path.Combine(expectedDir, "results.csv")), File.ReadAllText(Path.Combine(actualDir, "results.csv")));
        var expected = Tensors(Path.Combine(expectedDir, "weights", "last.safetensors"));
        var actual = Tensors(Path.Combine(actualDir, "weights", "last.safetensors"));
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, data) in expected)
        {
            Assert.Equal(data, actual[name]);
        }
    }

    [Fact]
    public void A_run_interrupted_mid_epoch_and_resumed_ends_bit_identical_to_an_uninterrupted_run()
    {
        using var tmp = new TempDirectory();
        EngineTestRun.Create(Args(tmp.Path, "full")).Train();

        using var cts = new CancellationTokenSource();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        // Ctrl+C during epoch 2, batch 0: the run stops after that batch and saves a mid-epoch checkpoint.
        registry.Add(TrainerEvents.TrainBatchStart, t =>
        {
            if (t.Epoch == 1 && t.BatchIndex == 0)
            {
                cts.Cancel();
            }
        });
        var interrupted = EngineTestRun.Create(Args(tmp.Path, "cut"), registry, cancellation: cts.Token);
        interrupted.Train();
        Assert.Equal(RunStatus.StoppedByCallback, interrupted.Status);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(interrupted.SaveDir, "results.csv")).Length);

        var events = new List<string>();
        var resumeRegistry = new CallbackRegistry(rank: RankInfo.Single);
        resumeRegistry.Add(TrainerEvents.TrainEpochStart, t => events.Add($"epoch{t.Epoch}"));
        var resumeArgs = TrainArgs.Parse(new Dictionary<string, string> { ["resume"] = "true", ["model"] = interrupted.LastPath });
        var resumed = EngineTestRun.Create(resumeArgs, resumeRegistry);
        Assert.Equal(interrupted.SaveDir, resumed.SaveDir);
        resumed.Train();
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(1, resumed.StartEpoch);
        Assert.Equal(["epoch1", "epoch2", "epoch3"], events);
        AssertSameRun(Path.Combine(tmp.Path, "full"), interrupted.SaveDir);
    }

    [Fact]
    public void A_run_stopped_at_an_epoch_boundary_resumes_with_the_same_optimizer_schedule_and_callback_state()
    {
        using var tmp = new TempDirectory();
        EngineTestRun.Create(Args(tmp.Path, "full")).Train();

        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var counter = new CountingCallback();
        registry.AddStateful(counter);
        registry.Add(TrainerEvents.FitEpochEnd, t =>
        {
            counter.Epochs++;
            if (t.Epoch == 1)
            {
                t.RequestStop("paused");
            }
        });
        var stopped = EngineTestRun.Create(Args(tmp.Path, "cut"), registry);
        stopped.Train();
        Assert.Equal(RunStatus.StoppedByCallback, stopped.Status);

        var resumedCounter = new CountingCallback();
        var resumeRegistry = new CallbackRegistry(rank: RankInfo.Single);
        resumeRegistry.AddStateful(resumedCounter);
        resumeRegistry.Add(TrainerEvents.FitEpochEnd, _ => resumedCounter.Epochs++);
        var resumed = EngineTestRun.Create(TrainArgs.Parse(new Dictionary<string, string> { ["resume"] = "true", ["model"] = stopped.LastPath }), resumeRegistry);
        resumed.Train();
        Assert.Equal(2, resumed.StartEpoch);
        Assert.Equal(4, resumedCounter.Epochs);
        AssertSameRun(Path.Combine(tmp.Path, "full"), stopped.SaveDir);
    }

    [Fact]
    public void Two_runs_with_the_same_seed_are_bit_identical_whatever_the_thread_count()
    {
        using var tmp = new TempDirectory();
        var a = EngineTestRun.Create(Args(tmp.Path, "a"));
        a.Train();
        var b = EngineTestRun.Create(Args(tmp.Path, "b").With(("threads", 2)));
        b.Train();
        AssertSameRun(a.SaveDir, b.SaveDir);
        var c = EngineTestRun.Create(Args(tmp.Path, "c").With(("seed", 1)));
        c.Train();
        Assert.NotEqual(Tensors(a.LastPath)["fc1.weight"], Tensors(c.LastPath)["fc1.weight"]);
    }

    [Fact]
    public void Resuming_a_finished_run_is_refused_with_a_clear_message()
    {
        using var tmp = new TempDirectory();
        var done = EngineTestRun.Create(Args(tmp.Path, "done", epochs: 1));
        done.Train();
        var args = TrainArgs.Parse(new Dictionary<string, string> { ["resume"] = "true", ["model"] = done.LastPath });
        var ex = Assert.Throws<InvalidOperationException>(() => EngineTestRun.Create(args));
        Assert.Contains("finished, nothing to resume", ex.Message, StringComparison.Ordinal);
        Assert.Contains(done.LastPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_refused_without_touching_the_run_directory()
    {
        using var tmp = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        registry.Add(TrainerEvents.TrainBatchEnd, _ => cts.Cancel());
        var cut = EngineTestRun.Create(Args(tmp.Path, "cut"), registry, cancellation: cts.Token);
        cut.Train();
        var bytes = File.ReadAllBytes(cut.LastPath);
        File.WriteAllBytes(cut.LastPath, bytes[..(bytes.Length - 10)]);
        var before = Snapshot(cut.SaveDir);
        var args = TrainArgs.Parse(new Dictionary<string, string> { ["resume"] = "true", ["model"] = cut.LastPath });
        var ex = Assert.Throws<SafeTensorsException>(() => EngineTestRun.Create(args));
        Assert.Contains(cut.LastPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(cut.SaveDir));
    }

    private static string Snapshot(string dir) => string.Join("\n", Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order()
        .Select(f => f + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));

    private sealed class CountingCallback : IStatefulCallback
    {
        public int Epochs { get; set; }

        public string StateKey => "counter";

        public System.Text.Json.Nodes.JsonNode? SaveState() => Epochs;

        public void RestoreState(System.Text.Json.Nodes.JsonNode? state) => Epochs = state?.GetValue<int>() ?? 0;
    }
}
