using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stepwise.Serialization;
using Stepwise.Serialization.Onnx;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>
/// A trained classifier ready for inference, loaded from any file Stepwise writes: a training
/// checkpoint, exported safetensors weights or an exported ONNX model. Validation and prediction
/// load models only through this type, so all three behave the same. Not thread-safe: one
/// inference at a time per instance.
/// </summary>
public sealed class EvaluationModel
{
    /// <summary>Value of the <c>format</c> metadata key in exported safetensors weights.</summary>
    public const string WeightsFormat = "stepwise-weights";

    private readonly MlpClassifier? _classifier;
    private readonly OnnxGraph? _graph;

    private EvaluationModel(string path, ModelFormat format, IReadOnlyList<string> classNames, ModelInput input,
        IReadOnlyDictionary<string, object?> args, MlpClassifier? classifier, OnnxGraph? graph)
    {
        Path = path;
        Format = format;
        ClassNames = classNames;
        Input = input;
        Args = args;
        _classifier = classifier;
        _graph = graph;
    }

    /// <summary>The file the model came from (empty for a model built in code).</summary>
    public string Path { get; }

    /// <summary>The kind of file.</summary>
    public ModelFormat Format { get; }

    /// <summary>Class names in output order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of output classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Input layout (image size, or tabular columns).</summary>
    public ModelInput Input { get; }

    /// <summary>Values per sample.</summary>
    public int InputCount => Input.FeatureCount;

    /// <summary>The training arguments saved with the model (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, object?> Args { get; }

    /// <summary>The multilayer perceptron, for checkpoints and safetensors weights; null for ONNX models.</summary>
    internal MlpClassifier? Classifier => _classifier;

    /// <summary>Loads a model file; the kind is found from the file's contents.</summary>
    /// <param name="path">A <c>.safetensors</c> checkpoint or weights file, or a <c>.onnx</c> model.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ModelLoadException">The file is missing, unreadable, broken or not a Stepwise model; the message names it.</exception>
    public static EvaluationModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            throw Fail(path, $"{path}: is a folder, not a model file (expected .safetensors or .onnx).");
        }

        if (!File.Exists(path))
        {
            throw Fail(path, $"{path}: model file not found.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Fail(path, $"{path}: cannot be read: {ex.Message}", ex);
        }

        if (LooksLikeSafeTensors(bytes))
        {
            return LoadSafeTensors(bytes, path);
        }

        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || OnnxGraph.LooksLikeOnnx(bytes))
        {
            try
            {
                var graph = OnnxGraph.Parse(bytes, path);
                return new EvaluationModel(path, ModelFormat.Onnx, graph.ClassNames, graph.Input, graph.Args, null, graph);
            }
            catch (OnnxFormatException ex)
            {
                throw Fail(path, ex.Message, ex);
            }
        }

        throw Fail(path, $"{path}: unsupported model file: neither safetensors nor ONNX (expected a .safetensors checkpoint or weights file, or an exported .onnx model).");
    }

    /// <summary>Wraps a classifier built or trained in code.</summary>
    /// <param name="classifier">The model (used as it is, not copied).</param>
    /// <param name="classNames">Class names in output order.</param>
    /// <param name="input">Input layout.</param>
    /// <returns>The model.</returns>
    public static EvaluationModel FromClassifier(MlpClassifier classifier, IReadOnlyList<string> classNames, ModelInput input)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(input);
        if (classNames.Count != classifier.ClassCount || input.FeatureCount != classifier.InputCount)
        {
            throw new ArgumentException($"The classifier takes {classifier.InputCount} features and has {classifier.ClassCount} classes; got {input.FeatureCount} features and {classNames.Count} class names.");
        }

        return new EvaluationModel(string.Empty, ModelFormat.Checkpoint, [.. classNames], input, new Dictionary<string, object?>(), classifier, null);
    }

    /// <summary>Class probabilities of a batch.</summary>
    /// <param name="features">batch × <see cref="InputCount"/> values, row-major.</param>
    /// <param name="batch">Number of samples.</param>
    /// <returns>batch × <see cref="ClassCount"/> probabilities, row-major.</returns>
    public float[] Predict(ReadOnlySpan<float> features, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (features.Length != (long)batch * InputCount)
        {
            throw new ArgumentException($"{batch} samples of {InputCount} features need {(long)batch * InputCount} values, got {features.Length}.", nameof(features));
        }

        var probabilities = new float[batch * ClassCount];
        Predict(features.ToArray(), batch, probabilities, 1);
        return probabilities;
    }

    /// <summary>Writes batch × classes probabilities; <paramref name="x"/> may be longer than needed.</summary>
    internal void Predict(float[] x, int batch, float[] probabilities, int threads)
    {
        if (_classifier is not null)
        {
            _classifier.Predict(x, batch, probabilities, threads);
        }
        else
        {
            _graph!.Run(x, batch, probabilities);
        }
    }

    /// <summary>Writes probabilities and returns the summed cross-entropy loss of the batch.</summary>
    internal double Evaluate(float[] x, int[] labels, int batch, float[] probabilities, int threads)
    {
        if (_classifier is not null)
        {
            return _classifier.Evaluate(x, labels, batch, probabilities, threads);
        }

        _graph!.Run(x, batch, probabilities);
        double loss = 0;
        for (int b = 0; b < batch; b++)
        {
            loss -= Math.Log(Math.Max(probabilities[(b * ClassCount) + labels[b]], float.Epsilon));
        }

        return loss;
    }

    internal static bool LooksLikeSafeTensors(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 10)
        {
            return false;
        }

        ulong headerLength = BitConverter.ToUInt64(bytes[..8]);
        return headerLength >= 2 && headerLength <= (ulong)(bytes.Length - 8) && bytes[8] == (byte)'{';
    }

    private static EvaluationModel LoadSafeTensors(byte[] bytes, string path)
    {
        try
        {
            var file = SafeTensorsFile.Parse(bytes, path);
            string? format = file.Metadata.GetValueOrDefault("format");
            if (format == Checkpoint.Format)
            {
                var checkpoint = Checkpoint.Load(file, path);
                return new EvaluationModel(path, ModelFormat.Checkpoint, checkpoint.ClassNames, checkpoint.Input!, checkpoint.Args, checkpoint.Model, null);
            }

            if (format == WeightsFormat)
            {
                return LoadWeights(file, path);
            }

            throw Fail(path, format is null
                ? $"{path}: a safetensors file without Stepwise metadata (no 'format' key): not a Stepwise checkpoint or exported weights file."
                : $"{path}: safetensors metadata format '{format}' is not a Stepwise checkpoint or weights file.");
        }
        catch (SafeTensorsException ex)
        {
            throw Fail(path, ex.Message, ex);
        }
    }

    private static EvaluationModel LoadWeights(SafeTensorsFile file, string path)
    {
        var meta = file.Metadata;
        try
        {
            var (model, names) = BuildClassifier(meta, file, path);
            var args = ParseArgs(meta.GetValueOrDefault("args"));
            var input = meta.TryGetValue("input", out var inputText)
                ? ModelInput.FromJson(JsonNode.Parse(inputText), model.InputCount)
                : ModelInput.Infer(model.InputCount, args);
            return new EvaluationModel(path, ModelFormat.SafeTensors, names, input, args, model, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException or KeyNotFoundException or ArgumentException)
        {
            throw Fail(path, $"{path}: weights metadata is invalid ({ex.Message}).", ex);
        }
    }

    /// <summary>Builds the MLP described by the <c>model</c> and <c>names</c> metadata and fills its tensors.</summary>
    internal static (MlpClassifier Model, IReadOnlyList<string> Names) BuildClassifier(IReadOnlyDictionary<string, string> meta, SafeTensorsFile file, string path)
    {
        string modelText = meta.TryGetValue("model", out var m) ? m : throw Fail(path, $"{path}: metadata 'model' is missing.");
        string namesText = meta.TryGetValue("names", out var n) ? n : throw Fail(path, $"{path}: metadata 'names' is missing.");
        var info = JsonNode.Parse(modelText)!.AsObject();
        var names = JsonNode.Parse(namesText)!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        var hidden = info["hidden"]!.AsArray().Select(x => x!.GetValue<int>()).ToList();
        var model = new MlpClassifier(info["inputs"]!.GetValue<int>(), hidden, info["classes"]!.GetValue<int>(), info["dropout"]?.GetValue<double>() ?? 0);
        if (names.Count != model.ClassCount)
        {
            throw Fail(path, $"{path}: {names.Count} class names for a model with {model.ClassCount} outputs.");
        }

        foreach (var p in model.Parameters())
        {
            var t = file.Find(p.Name) ?? throw Fail(path, $"{path}: tensor '{p.Name}' is missing.");
            if (!t.Shape.SequenceEqual(p.Shape))
            {
                throw Fail(path, $"{path}: tensor '{p.Name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", p.Shape)}].");
            }

            t.Data.CopyTo(p.Data, 0);
        }

        model.MarkParametersChanged();
        return (model, names);
    }

    /// <summary>Parses the <c>args</c> metadata (a JSON object of training arguments).</summary>
    internal static Dictionary<string, object?> ParseArgs(string? text)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text) || JsonNode.Parse(text) is not JsonObject obj)
        {
            return args;
        }

        foreach (var (k, v) in obj)
        {
            args[k] = v is JsonValue value
                ? value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => value.ToJsonString(),
                    _ => null,
                }
                : v?.ToJsonString();
        }

        return args;
    }

    /// <summary>Training arguments as a JSON object (the form checkpoints store).</summary>
    internal static JsonObject ArgsToJson(IReadOnlyDictionary<string, object?> args)
    {
        var json = new JsonObject();
        foreach (var (k, v) in args)
        {
            json[k] = v switch
            {
                null => null,
                bool b => JsonValue.Create(b),
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                _ => JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture)),
            };
        }

        return json;
    }

    private static ModelLoadException Fail(string path, string message, Exception? inner = null) =>
        inner is null ? new ModelLoadException(message) { Path = path } : new ModelLoadException(message, inner) { Path = path };
}
