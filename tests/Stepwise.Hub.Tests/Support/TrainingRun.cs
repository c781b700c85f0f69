using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Hub.Callbacks;
using Stepwise.Hub.Http;
using Stepwise.Tasks;

namespace Stepwise.Hub.Tests.Support;

/// <summary>Small, fast training runs of the real engine on a tiny generated dataset.</summary>
internal static class TrainingRun
{
    public static ClassificationData TinyData { get; } = ShapesDataset.Generate(seed: 3, size: 12, trainPerClass: 4, valPerClass: 2);

    /// <summary>Retries short enough that a dead server fails a run's requests at once.</summary>
    public static HubRetryOptions QuickRetry { get; } = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(10),
        MaxRetries = 1,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(20),
        TotalTimeout = TimeSpan.FromSeconds(10),
    };

    public static TrainArgs Args(string project, int epochs, params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["project"] = project,
            ["name"] = "train",
            ["epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["batch"] = "16",
            ["imgsz"] = "12",
            ["hidden"] = "16",
            ["threads"] = "1",
            ["verbose"] = "false",
            ["plots"] = "false",
        };
        foreach (var (k, v) in extra)
        {
            values[k] = v;
        }

        return TrainArgs.Parse(values);
    }

    public static HubCallbackOptions Options(Uri server, string key, TextWriter? console = null) => new()
    {
        ServerUrl = server,
        ApiKey = key,
        Console = console,
        RequestRetry = QuickRetry,
        UploadRetry = QuickRetry,
        FinalUploadRetry = QuickRetry,
        RetryPause = TimeSpan.FromMilliseconds(50),
        FlushTimeout = TimeSpan.FromSeconds(10),
    };

    public static Trainer Create(TrainArgs args, CallbackRegistry registry, CancellationToken cancellation = default) =>
        new(args, new TrainerOptions { Callbacks = registry, Data = TinyData, Cancellation = cancellation });

    /// <summary>Records each epoch's values as the hub callbacks read them.</summary>
    public static Dictionary<int, Dictionary<string, double>> RecordEpochs(CallbackRegistry registry)
    {
        var epochs = new Dictionary<int, Dictionary<string, double>>();
        registry.Add(TrainerEvents.FitEpochEnd, t =>
        {
            var values = new Dictionary<string, double>(t.LabelLossItems("train"), StringComparer.Ordinal);
            foreach (var (k, v) in t.Metrics)
            {
                values[k] = v;
            }

            foreach (var (k, v) in t.Lr)
            {
                values[k] = v;
            }

            epochs[t.Epoch] = values;
        });
        return epochs;
    }
}
