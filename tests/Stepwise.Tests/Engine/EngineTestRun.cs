using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Tasks;
using Stepwise.Tests.Support;

namespace Stepwise.Tests.Engine;

/// <summary>Small, fast training runs on a tiny generated dataset, with every event recorded.</summary>
internal static class EngineTestRun
{
    /// <summary>24 train images (2 batches of 16), 12 val images (1 batch).</summary>
    public static ClassificationData TinyData { get; } = ShapesDataset.Generate(seed: 3, size: 12, trainPerClass: 4, valPerClass: 2);

    public static TrainArgs Args(string project, params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["project"] = project,
            ["epochs"] = "3",
            ["batch"] = "16",
            ["imgsz"] = "12",
            ["hidden"] = "16",
            ["threads"] = "1",
            ["verbose"] = "false",
        };
        foreach (var (k, v) in extra)
        {
            values[k] = v;
        }

        return TrainArgs.Parse(values);
    }

    public static Trainer Create(TrainArgs args, CallbackRegistry? registry = null, ClassificationData? data = null, CancellationToken cancellation = default) =>
        new(args, new TrainerOptions
        {
            Callbacks = registry ?? new CallbackRegistry(rank: RankInfo.Single),
            Time = new FrozenTimeProvider(),
            Data = data ?? TinyData,
            Cancellation = cancellation,
        });

    /// <summary>Registers a recorder on every trainer and validator event; returns the list it fills.</summary>
    public static List<string> Record(CallbackRegistry registry)
    {
        var events = new List<string>();
        foreach (var e in new[]
        {
            TrainerEvents.PretrainRoutineStart, TrainerEvents.PretrainRoutineEnd, TrainerEvents.TrainStart, TrainerEvents.TrainEpochStart,
            TrainerEvents.TrainBatchStart, TrainerEvents.OptimizerStep, TrainerEvents.BeforeZeroGrad, TrainerEvents.TrainBatchEnd,
            TrainerEvents.TrainEpochEnd, TrainerEvents.FitEpochEnd, TrainerEvents.ModelSave, TrainerEvents.TrainEnd,
            TrainerEvents.ParamsUpdate, TrainerEvents.Teardown, TrainerEvents.BatchEnd, TrainerEvents.FinalEvalEnd,
        })
        {
            string name = e.WireName;
            registry.Add(e, _ => events.Add(name));
        }

        foreach (var e in new[] { ValidatorEvents.ValStart, ValidatorEvents.ValBatchStart, ValidatorEvents.ValBatchEnd, ValidatorEvents.ValEnd })
        {
            string name = e.WireName;
            registry.Add(e, v => events.Add(name + (v.Training ? "" : "(final)")));
        }

        return events;
    }

    /// <summary>The folder holding <c>shared/golden</c>, found by walking up from the test binaries.</summary>
    public static string GoldenDir(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "golden")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new DirectoryNotFoundException("shared/golden not found above " + AppContext.BaseDirectory);
        }

        return Path.Combine([dir.FullName, "shared", "golden", .. parts]);
    }
}
