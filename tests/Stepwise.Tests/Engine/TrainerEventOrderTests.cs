using Stepwise.Callbacks;

namespace Stepwise.Tests.Engine;

public class TrainerEventOrderTests
{
    /// <summary>
    /// The golden trace's event names with the documented fixes applied: each batch's optimizer
    /// step and zero-grad events fire before on_batch_end, and the final evaluation ends with
    /// on_final_eval_end instead of a second on_fit_epoch_end.
    /// </summary>
    private static List<string> ExpectedFromGolden()
    {
        var lines = File.ReadAllLines(EngineTestRun.GoldenDir("ultralytics", "trace_train.txt"))
            .Where(l => l.Length > 5 && char.IsDigit(l[0]))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var expected = new List<string>();
        foreach (var parts in lines)
        {
            string name = parts[1];
            bool final = parts.Contains("training=False");
            if (name == "on_batch_end")
            {
                expected.Add("optimizer_step");
                expected.Add("on_before_zero_grad");
            }

            if (name == "on_fit_epoch_end" && parts.Contains("caller=final_eval"))
            {
                expected.Add("on_final_eval_end");
                continue;
            }

            expected.Add(name.StartsWith("on_val", StringComparison.Ordinal) && final ? name + "(final)" : name);
        }

        return expected;
    }

    [Fact]
    public void A_three_epoch_run_raises_the_reference_sequence_with_the_documented_fixes()
    {
        using var tmp = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var events = EngineTestRun.Record(registry);
        var trainer = EngineTestRun.Create(EngineTestRun.Args(tmp.Path), registry);
        trainer.Train();

        // on_params_update fires only when the schedule changed a group's lr, right after on_train_batch_start.
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i] == "on_params_update")
            {
                Assert.Equal("on_train_batch_start", events[i - 1]);
            }
        }

        Assert.Contains("on_params_update", events);
        var withoutParams = events.Where(e => e != "on_params_update").ToList();
        Assert.Equal(ExpectedFromGolden(), withoutParams);
    }

    [Fact]
    public void Event_counts_match_the_reference_counts_plus_the_fixed_events()
    {
        using var tmp = new TempDirectory();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var events = EngineTestRun.Record(registry);
        EngineTestRun.Create(EngineTestRun.Args(tmp.Path), registry).Train();
        var counts = events.GroupBy(e => e.Replace("(final)", "", StringComparison.Ordinal)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, counts["on_pretrain_routine_start"]);
        Assert.Equal(1, counts["on_pretrain_routine_end"]);
        Assert.Equal(1, counts["on_train_start"]);
        Assert.Equal(3, counts["on_train_epoch_start"]);
        Assert.Equal(6, counts["on_train_batch_start"]);
        Assert.Equal(6, counts["optimizer_step"]);
        Assert.Equal(6, counts["on_before_zero_grad"]);
        Assert.Equal(6, counts["on_batch_end"]);
        Assert.Equal(6, counts["on_train_batch_end"]);
        Assert.Equal(3, counts["on_train_epoch_end"]);
        Assert.Equal(4, counts["on_val_start"]);
        Assert.Equal(4, counts["on_val_batch_start"]);
        Assert.Equal(4, counts["on_val_batch_end"]);
        Assert.Equal(4, counts["on_val_end"]);
        Assert.Equal(3, counts["on_model_save"]);
        Assert.Equal(3, counts["on_fit_epoch_end"]);
        Assert.Equal(1, counts["on_final_eval_end"]);
        Assert.Equal(1, counts["on_train_end"]);
        Assert.Equal(1, counts["teardown"]);
        // Warm-up (1 epoch = 2 iterations) changes lr on batches 0 and 1, then each new epoch changes it once.
        Assert.Equal(4, counts["on_params_update"]);
    }
}
