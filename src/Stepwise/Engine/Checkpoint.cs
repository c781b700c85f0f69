using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stepwise.Serialization;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>
/// A training checkpoint in safetensors: model tensors under their PyTorch names, optimizer moment
/// buffers under <c>optimizer.&lt;buffer&gt;.&lt;param&gt;</c>, and a JSON metadata block with the epoch,
/// fitness, args, optimizer scalars, early-stopping and callback state.
/// </summary>
internal sealed class Checkpoint
{
    public const string Format = "stepwise-checkpoint";

    public required MlpClassifier Model { get; init; }

    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Input layout; inferred from the args when the file has none.</summary>
    public ModelInput? Input { get; init; }

    public required IReadOnlyDictionary<string, object?> Args { get; init; }

    /// <summary>Last fully completed epoch (0-based), -1 when none.</summary>
    public int Epoch { get; init; } = -1;

    /// <summary>Epoch being trained when saved mid-epoch (Ctrl+C), and the next batch of it; -1 at an epoch boundary.</summary>
    public int PartialEpoch { get; init; } = -1;

    public int NextBatch { get; init; }

    public int Epochs { get; init; }

    public double? Fitness { get; init; }

    public double? BestFitness { get; init; }

    public bool Finished { get; init; }

    public string OptimizerName { get; init; } = string.Empty;

    public long OptimizerSteps { get; init; }

    public long Iterations { get; init; }

    public double LossSum { get; init; }

    public int LossCount { get; init; }

    public double TrainSeconds { get; init; }

    public JsonNode? EarlyStopping { get; init; }

    public IReadOnlyDictionary<string, JsonNode?> Callbacks { get; init; } = new Dictionary<string, JsonNode?>();

    public IReadOnlyDictionary<string, float[]> OptimizerBuffers { get; init; } = new Dictionary<string, float[]>();

    public string Date { get; init; } = string.Empty;

    public void Save(string path, Optimizer? optimizer)
    {
        var tensors = new List<NamedTensor>(Model.Parameters());
        if (optimizer is not null)
        {
            var slots = Model.Parameters().ToDictionary(p => p.Name, p => p.Shape);
            foreach (var (name, buffer) in optimizer.StateBuffers())
            {
                string param = name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..];
                tensors.Add(new NamedTensor("optimizer." + name, slots[param], buffer));
            }
        }

        var callbacks = new JsonObject();
        foreach (var (k, v) in Callbacks)
        {
            callbacks[k] = v?.DeepClone();
        }

        var args = new JsonObject();
        foreach (var (k, v) in Args)
        {
            args[k] = v switch
            {
                null => null,
                bool b => JsonValue.Create(b),
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                _ => JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture)),
            };
        }

        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["version"] = "1",
            ["date"] = Date,
            ["epoch"] = Inv(Epoch),
            ["epochs"] = Inv(Epochs),
            ["partial_epoch"] = Inv(PartialEpoch),
            ["next_batch"] = Inv(NextBatch),
            ["fitness"] = Fitness?.ToString("R", CultureInfo.InvariantCulture) ?? "null",
            ["best_fitness"] = BestFitness?.ToString("R", CultureInfo.InvariantCulture) ?? "null",
            ["finished"] = Finished ? "true" : "false",
            ["model"] = new JsonObject
            {
                ["type"] = "mlp",
                ["inputs"] = Model.InputCount,
                ["hidden"] = new JsonArray([.. Model.HiddenSizes.Select(h => (JsonNode?)JsonValue.Create(h))]),
                ["classes"] = Model.ClassCount,
                ["dropout"] = Model.DropoutRate,
            }.ToJsonString(),
            ["names"] = new JsonArray([.. ClassNames.Select(n => (JsonNode?)JsonValue.Create(n))]).ToJsonString(),
            ["input"] = (Input ?? ModelInput.Infer(Model.InputCount, Args)).ToJson().ToJsonString(),
            ["args"] = args.ToJsonString(),
            ["optimizer"] = new JsonObject
            {
                ["name"] = OptimizerName,
                ["steps"] = OptimizerSteps,
                ["has_state"] = optimizer is not null,
            }.ToJsonString(),
            ["train_state"] = new JsonObject
            {
                ["iterations"] = Iterations,
                ["loss_sum"] = LossSum.ToString("R", CultureInfo.InvariantCulture),
                ["loss_count"] = LossCount,
                ["train_seconds"] = TrainSeconds.ToString("R", CultureInfo.InvariantCulture),
            }.ToJsonString(),
            ["early_stopping"] = EarlyStopping?.ToJsonString() ?? "null",
            ["callbacks"] = callbacks.ToJsonString(),
        };
        SafeTensorsFile.Write(path, tensors, meta);
    }

    /// <summary>Reads and checks a checkpoint; any problem is a <see cref="SafeTensorsException"/> naming the file.</summary>
    public static Checkpoint Load(string path) => Load(SafeTensorsFile.Read(path), path);

    /// <summary>Checks and reads a checkpoint from an already parsed file.</summary>
    public static Checkpoint Load(SafeTensorsFile file, string path)
    {
        var meta = file.Metadata;
        try
        {
            if (!meta.TryGetValue("format", out var format) || format != Format)
            {
                throw new SafeTensorsException($"{path}: not a Stepwise checkpoint (metadata 'format' is missing).");
            }

            var modelInfo = JsonNode.Parse(Get(meta, "model", path))!.AsObject();
            var names = JsonNode.Parse(Get(meta, "names", path))!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            var hidden = modelInfo["hidden"]!.AsArray().Select(n => n!.GetValue<int>()).ToList();
            var model = new MlpClassifier(modelInfo["inputs"]!.GetValue<int>(), hidden, modelInfo["classes"]!.GetValue<int>(), modelInfo["dropout"]!.GetValue<double>());
            if (names.Count != model.ClassCount)
            {
                throw new SafeTensorsException($"{path}: {names.Count} class names for a model with {model.ClassCount} outputs.");
            }

            foreach (var p in model.Parameters())
            {
                var t = file.Find(p.Name) ?? throw new SafeTensorsException($"{path}: tensor '{p.Name}' is missing.");
                if (!t.Shape.SequenceEqual(p.Shape))
                {
                    throw new SafeTensorsException($"{path}: tensor '{p.Name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", p.Shape)}].");
                }

                t.Data.CopyTo(p.Data, 0);
            }

            model.MarkParametersChanged();
            var args = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in JsonNode.Parse(Get(meta, "args", path))!.AsObject())
            {
                args[k] = ToObject(v);
            }

            var optimizer = JsonNode.Parse(Get(meta, "optimizer", path))!.AsObject();
            var state = JsonNode.Parse(Get(meta, "train_state", path))!.AsObject();
            var callbacks = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (meta.TryGetValue("callbacks", out var cbText) && JsonNode.Parse(cbText) is JsonObject cb)
            {
                foreach (var (k, v) in cb)
                {
                    callbacks[k] = v?.DeepClone();
                }
            }

            var buffers = file.Tensors.Where(t => t.Name.StartsWith("optimizer.", StringComparison.Ordinal))
                .ToDictionary(t => t.Name["optimizer.".Length..], t => t.Data, StringComparer.Ordinal);
            var input = meta.TryGetValue("input", out var inputText)
                ? ModelInput.FromJson(JsonNode.Parse(inputText), model.InputCount)
                : ModelInput.Infer(model.InputCount, args);
            return new Checkpoint
            {
                Model = model,
                ClassNames = names,
                Input = input,
                Args = args,
                Epoch = int.Parse(Get(meta, "epoch", path), CultureInfo.InvariantCulture),
                Epochs = int.Parse(Get(meta, "epochs", path), CultureInfo.InvariantCulture),
                PartialEpoch = int.Parse(meta.GetValueOrDefault("partial_epoch", "-1"), CultureInfo.InvariantCulture),
                NextBatch = int.Parse(meta.GetValueOrDefault("next_batch", "0"), CultureInfo.InvariantCulture),
                Fitness = ParseNullable(Get(meta, "fitness", path)),
                BestFitness = ParseNullable(Get(meta, "best_fitness", path)),
                Finished = meta.GetValueOrDefault("finished") == "true",
                OptimizerName = optimizer["name"]?.GetValue<string>() ?? string.Empty,
                OptimizerSteps = optimizer["steps"]?.GetValue<long>() ?? 0,
                Iterations = state["iterations"]?.GetValue<long>() ?? 0,
                LossSum = double.Parse(state["loss_sum"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture),
                LossCount = state["loss_count"]?.GetValue<int>() ?? 0,
                TrainSeconds = double.Parse(state["train_seconds"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture),
                EarlyStopping = meta.TryGetValue("early_stopping", out var es) ? JsonNode.Parse(es) : null,
                Callbacks = callbacks,
                OptimizerBuffers = buffers,
                Date = meta.GetValueOrDefault("date", string.Empty),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException or KeyNotFoundException or ArgumentException)
        {
            throw new SafeTensorsException($"{path}: checkpoint metadata is invalid ({ex.Message}).", ex);
        }
    }

    /// <summary>Copies saved moment buffers into a fresh optimizer; a missing or mis-sized buffer is an error.</summary>
    public void RestoreOptimizer(Optimizer optimizer, string path)
    {
        foreach (var (name, buffer) in optimizer.StateBuffers())
        {
            if (!OptimizerBuffers.TryGetValue(name, out var saved) || saved.Length != buffer.Length)
            {
                throw new SafeTensorsException($"{path}: optimizer state '{name}' is missing or has the wrong size (optimizer {OptimizerName}).");
            }

            saved.CopyTo(buffer, 0);
        }

        optimizer.Steps = OptimizerSteps;
    }

    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Get(IReadOnlyDictionary<string, string> meta, string key, string path) =>
        meta.TryGetValue(key, out var v) ? v : throw new SafeTensorsException($"{path}: checkpoint metadata '{key}' is missing.");

    private static double? ParseNullable(string text) =>
        text == "null" ? null : double.Parse(text, CultureInfo.InvariantCulture);

    private static object? ToObject(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return node?.ToJsonString();
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        };
    }
}
