using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Serialization;
using Stepwise.Serialization.Onnx;

namespace Stepwise.Engine;

/// <summary>
/// Writes a trained model in another format and raises the exporter events (see
/// <see cref="ExporterEvents"/>): <c>on_export_start</c> once the weights are loaded and the metadata
/// is ready, <c>on_export_end</c> after the file is in place. The output goes next to the weights
/// (<c>best.safetensors</c> → <c>best.onnx</c> / <c>best.weights.safetensors</c>) through a temporary
/// file and a rename, so a failed export leaves nothing behind.
/// </summary>
public sealed class Exporter : EngineBase
{
    /// <summary>Creates the engine.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Exporter(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(callbacks, logger, timeProvider)
    {
    }

    /// <summary>Names accepted for <c>format=</c>.</summary>
    public static IReadOnlyList<string> FormatNames { get; } = ["onnx", "safetensors"];

    /// <summary>The weights file being exported.</summary>
    public string File { get; private set; } = string.Empty;

    /// <summary>The format being written.</summary>
    public ExportFormat Format { get; private set; }

    /// <summary>The model being exported (set before <c>on_export_start</c>).</summary>
    public EvaluationModel? Model { get; private set; }

    /// <summary>Where the export is written; final once <c>on_export_end</c> fires.</summary>
    public string? OutputPath { get; private set; }

    /// <summary>Metadata written with the model (class names, input, architecture, version).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; private set; } = new Dictionary<string, string>();

    /// <summary>Size of the written file in bytes.</summary>
    public long OutputBytes { get; private set; }

    /// <summary>The Stepwise version recorded in exported files.</summary>
    public static string Version =>
        typeof(Exporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Parses a <c>format=</c> value.</summary>
    /// <param name="name">onnx or safetensors (any case).</param>
    /// <returns>The format.</returns>
    /// <exception cref="ExportException">Not a supported format; the message lists the supported ones.</exception>
    public static ExportFormat ParseFormat(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "onnx" => ExportFormat.Onnx,
            "safetensors" => ExportFormat.SafeTensors,
            _ => throw new ExportException($"Unsupported export format '{name}'. Supported formats: {string.Join(", ", FormatNames)}."),
        };
    }

    /// <summary>The default output path for a weights file and format.</summary>
    /// <param name="weights">The weights file.</param>
    /// <param name="format">The format.</param>
    /// <returns><c>dir/stem.onnx</c> or <c>dir/stem.weights.safetensors</c>.</returns>
    public static string DefaultOutputPath(string weights, ExportFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(weights);
        string dir = Path.GetDirectoryName(Path.GetFullPath(weights)) ?? ".";
        string stem = Path.GetFileNameWithoutExtension(weights);
        return Path.Combine(dir, format == ExportFormat.Onnx ? stem + ".onnx" : stem + ".weights.safetensors");
    }

    /// <summary>Exports a checkpoint or weights file.</summary>
    /// <param name="weights">A <c>.safetensors</c> checkpoint or weights file.</param>
    /// <param name="format">The format to write.</param>
    /// <param name="outputPath">Where to write; next to the weights when null.</param>
    /// <param name="output">Console output, or null.</param>
    /// <returns>The full path of the written file.</returns>
    /// <exception cref="ModelLoadException">The weights are missing or broken.</exception>
    /// <exception cref="ExportException">The model cannot be exported or the output cannot be written.</exception>
    public string Export(string weights, ExportFormat format, string? outputPath = null, TextWriter? output = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(weights);
        File = Path.GetFullPath(weights);
        Format = format;
        OutputPath = null;
        OutputBytes = 0;
        var model = EvaluationModel.Load(weights);
        if (model.Classifier is null)
        {
            throw new ExportException($"{weights}: an {model.Format} model cannot be exported again; export from the .safetensors checkpoint it came from.");
        }

        Model = model;
        string target = Path.GetFullPath(outputPath ?? DefaultOutputPath(weights, format));
        if (string.Equals(target, File, StringComparison.Ordinal))
        {
            throw new ExportException($"{target}: the export would overwrite the weights it reads; choose another output path.");
        }

        var args = TypedArgs(model.Args);
        Metadata = BuildMetadata(model, args);
        long start = Time.GetTimestamp();
        output?.WriteLine($"Stepwise {Version}: starting from '{weights}' with input {model.Input} and {model.ClassCount} classes ({model.Classifier.ParameterCount:N0} parameters)");
        Callbacks.Raise(ExporterEvents.ExportStart, this);
        byte[] bytes = format switch
        {
            ExportFormat.Onnx => OnnxModelWriter.Build(model.Classifier, model.ClassNames, model.Input, args, Version).ToByteArray(),
            _ => SafeTensorsFile.Serialize(model.Classifier.Parameters(), Metadata),
        };
        WriteAtomic(target, bytes);
        OutputPath = target;
        OutputBytes = bytes.LongLength;
        double seconds = Time.GetElapsedTime(start).TotalSeconds;
        string name = format == ExportFormat.Onnx ? $"ONNX (opset {OnnxModelWriter.Opset})" : "safetensors";
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: export success {seconds:0.0}s, saved as '{target}' ({bytes.LongLength / 1024.0 / 1024.0:0.0} MB)"));
        output?.WriteLine($"Results saved to {target}");
        output?.WriteLine($"Predict:  stepwise predict model={target} source=<images or .csv>");
        output?.WriteLine($"Validate: stepwise val model={target}");
        Callbacks.Raise(ExporterEvents.ExportEnd, this);
        return target;
    }

    /// <summary><c>stepwise export</c>: keys model (required), format (default onnx), output; settings keys are ignored.</summary>
    /// <param name="overrides">key=value arguments.</param>
    /// <param name="output">Console output, or null.</param>
    /// <returns>The full path of the written file.</returns>
    /// <exception cref="ArgumentException">Unknown key or missing model (message starts with "Unknown argument" or "Argument ").</exception>
    public string Run(IReadOnlyDictionary<string, string> overrides, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var keys = new[] { "model", "format", "output", "task", "mode" };
        var ignore = Settings.SettingsSchema.Keys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (raw, value) in overrides)
        {
            string key = raw.Trim().ToLowerInvariant().Replace('-', '_');
            if (ignore.Contains(key))
            {
                continue;
            }

            if (!keys.Contains(key))
            {
                var close = keys.Where(k => TrainArgs.Distance(k, key) <= 2).ToList();
                throw new ArgumentException($"Unknown argument '{raw}'.{(close.Count > 0 ? $" Did you mean {string.Join(" or ", close)}?" : string.Empty)}");
            }

            values[key] = value;
        }

        string model = values.GetValueOrDefault("model") ?? throw new ArgumentException("Argument model=<checkpoint .safetensors> is required for export.");
        var format = ParseFormat(values.GetValueOrDefault("format") ?? "onnx");
        return Export(model, format, values.GetValueOrDefault("output"), output);
    }

    /// <summary>Stored args with their proper types (numbers as numbers) when they form a valid set; else as stored.</summary>
    private static IReadOnlyDictionary<string, object?> TypedArgs(IReadOnlyDictionary<string, object?> stored)
    {
        try
        {
            return stored.Count == 0 ? stored : TrainArgs.FromValues(stored, new Dictionary<string, string>()).ToDictionary();
        }
        catch (ArgumentException)
        {
            return stored;
        }
    }

    private static Dictionary<string, string> BuildMetadata(EvaluationModel model, IReadOnlyDictionary<string, object?> args)
    {
        var mlp = model.Classifier!;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = EvaluationModel.WeightsFormat,
            ["version"] = "1",
            ["stepwise_version"] = Version,
            ["task"] = "classify",
            ["model"] = new JsonObject
            {
                ["type"] = "mlp",
                ["inputs"] = mlp.InputCount,
                ["hidden"] = new JsonArray([.. mlp.HiddenSizes.Select(h => (JsonNode?)JsonValue.Create(h))]),
                ["classes"] = mlp.ClassCount,
                ["dropout"] = mlp.DropoutRate,
            }.ToJsonString(),
            ["names"] = new JsonArray([.. model.ClassNames.Select(n => (JsonNode?)JsonValue.Create(n))]).ToJsonString(),
            ["input"] = model.Input.ToJson().ToJsonString(),
            ["args"] = EvaluationModel.ArgsToJson(args).ToJsonString(),
        };
        if (model.Input.Kind == ModelInputKind.Image)
        {
            meta["imgsz"] = string.Create(CultureInfo.InvariantCulture, $"[{model.Input.Height}, {model.Input.Width}]");
        }

        return meta;
    }

    private static void WriteAtomic(string path, byte[] bytes)
    {
        string dir = Path.GetDirectoryName(path) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new ExportException($"{path}: cannot write the export: folder '{dir}' does not exist.");
        }

        string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            System.IO.File.WriteAllBytes(temp, bytes);
            System.IO.File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                System.IO.File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The temporary file could not be removed either; the original error matters more.
            }

            throw new ExportException($"{path}: cannot write the export: {ex.Message}", ex);
        }
    }
}
