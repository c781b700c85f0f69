using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Stepwise.Engine;
using Stepwise.Serialization.Onnx.Proto;

namespace Stepwise.Serialization.Onnx;

/// <summary>
/// Reads an ONNX model and runs it on the CPU. Only the operators a Stepwise classifier needs are
/// implemented (Flatten, Gemm, MatMul, Add, Relu, Softmax, Identity) on float32 tensors; anything
/// else is refused when the file is loaded, with the node named, rather than failing mid-run.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>Lowest default-domain opset accepted (Softmax over one axis from opset 13 on).</summary>
    public const long MinOpset = 13;

    public static readonly IReadOnlyList<string> SupportedOperators = ["Flatten", "Gemm", "MatMul", "Add", "Relu", "Softmax", "Identity"];

    private readonly Dictionary<string, Tensor> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<int, float[]> _transposed = [];
    private readonly IReadOnlyList<NodeProto> _nodes;
    private readonly string _path;

    private OnnxGraph(ModelProto model, string path)
    {
        Model = model;
        _path = path;
        var graph = model.Graph ?? throw Fail("the model has no graph");
        _nodes = graph.Node;
        Opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (!model.HasIrVersion || model.IrVersion < 3)
        {
            throw Fail("ir_version is missing or older than 3");
        }

        if (Opset < MinOpset)
        {
            throw Fail(Opset == 0
                ? "no default-domain opset is imported"
                : $"opset {Opset} is older than {MinOpset}, the oldest the Stepwise evaluator runs");
        }

        foreach (var init in graph.Initializer)
        {
            _constants[init.Name] = ReadTensor(init);
        }

        var inputs = graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1 || graph.Output.Count != 1)
        {
            throw Fail($"the graph has {inputs.Count} data inputs and {graph.Output.Count} outputs; a classifier has one of each");
        }

        InputName = inputs[0].Name;
        OutputName = graph.Output[0].Name;
        InputShape = Shape(inputs[0], "input");
        OutputShape = Shape(graph.Output[0], "output");
        CheckNodes(graph);
        Metadata = model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

        int features = FeatureCount(InputShape);
        try
        {
            Args = EvaluationModel.ParseArgs(Metadata.GetValueOrDefault("args"));
            Input = Metadata.TryGetValue("input", out var inputText)
                ? ModelInput.FromJson(JsonNode.Parse(inputText), features)
                : InputShape.Count == 4 ? ModelInput.Image((int)InputShape[3]!.Value, (int)InputShape[2]!.Value) : ModelInput.Tabular(features);
            long? classes = OutputShape.Count == 2 ? OutputShape[1] : null;
            if (Metadata.TryGetValue("names", out var namesText))
            {
                ClassNames = JsonNode.Parse(namesText)!.AsArray().Select(n => n!.GetValue<string>()).ToList();
                if (classes is long c && c != ClassNames.Count)
                {
                    throw Fail($"metadata 'names' lists {ClassNames.Count} classes but the output has {c}");
                }
            }
            else if (classes is long c)
            {
                ClassNames = [.. Enumerable.Range(0, (int)c).Select(i => i.ToString(CultureInfo.InvariantCulture))];
            }
            else
            {
                throw Fail("the output shape has no class dimension and metadata 'names' is missing");
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw Fail($"metadata is invalid ({ex.Message})", ex);
        }
    }

    /// <summary>The parsed protobuf message.</summary>
    public ModelProto Model { get; }

    /// <summary>Default-domain opset version.</summary>
    public long Opset { get; }

    public string InputName { get; }

    public string OutputName { get; }

    /// <summary>Input dimensions; null for a symbolic (dynamic) one.</summary>
    public IReadOnlyList<long?> InputShape { get; }

    /// <summary>Output dimensions; null for a symbolic (dynamic) one.</summary>
    public IReadOnlyList<long?> OutputShape { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyList<string> ClassNames { get; } = [];

    public ModelInput Input { get; }

    public IReadOnlyDictionary<string, object?> Args { get; }

    /// <summary>True when the bytes start like a serialised ModelProto (field 1, ir_version, as a varint).</summary>
    public static bool LooksLikeOnnx(ReadOnlySpan<byte> bytes) => bytes.Length > 2 && bytes[0] == 0x08;

    /// <summary>Parses and checks a model; every problem is an <see cref="OnnxFormatException"/> naming <paramref name="path"/>.</summary>
    public static OnnxGraph Parse(byte[] bytes, string path)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxFormatException($"{path}: not a valid ONNX model: {ex.Message}", ex);
        }

        return new OnnxGraph(model, path);
    }

    /// <summary>Runs the graph on <paramref name="batch"/> samples of <c>x</c> and writes the output rows to <paramref name="output"/>.</summary>
    public void Run(float[] x, int batch, float[] output)
    {
        int features = Input.FeatureCount;
        var shape = InputShape.Count == 4 ? new[] { batch, (int)InputShape[1]!.Value, Input.Height, Input.Width } : new[] { batch, features };
        var values = new Dictionary<string, Tensor>(_constants, StringComparer.Ordinal)
        {
            [InputName] = new Tensor(x.AsSpan(0, batch * features).ToArray(), shape),
        };
        for (int i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            var result = node.OpType switch
            {
                "Flatten" => Flatten(values[node.Input[0]], (int)Attr(node, "axis", 1)),
                "Gemm" => Gemm(i, node, values),
                "MatMul" => MatMul(i, node, values),
                "Add" => Add(values[node.Input[0]], values[node.Input[1]], node),
                "Relu" => Relu(values[node.Input[0]]),
                "Softmax" => Softmax(values[node.Input[0]], (int)Attr(node, "axis", -1), node),
                _ => values[node.Input[0]],
            };
            values[node.Output[0]] = result;
        }

        var y = values[OutputName];
        if (y.Shape.Length != 2 || y.Shape[0] != batch || y.Shape[1] != ClassNames.Count)
        {
            throw Fail($"output '{OutputName}' has shape [{string.Join(", ", y.Shape)}], expected [{batch}, {ClassNames.Count}]");
        }

        y.Data.AsSpan().CopyTo(output);
    }

    private static int FeatureCount(IReadOnlyList<long?> shape)
    {
        long count = 1;
        for (int d = 1; d < shape.Count; d++)
        {
            count *= shape[d]!.Value;
        }

        return checked((int)count);
    }

    private static long Attr(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static float AttrF(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    private static Tensor Flatten(Tensor x, int axis)
    {
        if (axis < 0)
        {
            axis += x.Shape.Length;
        }

        int outer = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= x.Shape[d];
        }

        return new Tensor(x.Data, [outer, x.Data.Length / Math.Max(outer, 1)]);
    }

    private static Tensor Relu(Tensor x)
    {
        var y = new float[x.Data.Length];
        TensorPrimitives.Max(x.Data, 0f, y);
        return new Tensor(y, x.Shape);
    }

    private Tensor Softmax(Tensor x, int axis, NodeProto node)
    {
        if (axis < 0)
        {
            axis += x.Shape.Length;
        }

        if (axis != x.Shape.Length - 1)
        {
            throw Fail($"node '{node.Name}': Softmax over axis {axis} of a rank-{x.Shape.Length} tensor is not supported (only the last axis)");
        }

        int n = x.Shape[^1];
        var y = new float[x.Data.Length];
        for (int r = 0; r < x.Data.Length / n; r++)
        {
            var row = x.Data.AsSpan(r * n, n);
            var dst = y.AsSpan(r * n, n);
            float max = TensorPrimitives.Max(row);
            float sum = 0f;
            for (int c = 0; c < n; c++)
            {
                dst[c] = MathF.Exp(row[c] - max);
                sum += dst[c];
            }

            TensorPrimitives.Multiply(dst, 1f / sum, dst);
        }

        return new Tensor(y, x.Shape);
    }

    private Tensor Add(Tensor a, Tensor b, NodeProto node)
    {
        if (a.Data.Length < b.Data.Length)
        {
            (a, b) = (b, a);
        }

        var y = new float[a.Data.Length];
        int n = b.Data.Length;
        if (n == 0 || a.Data.Length % n != 0 || (n > 1 && a.Shape[^1] % n != 0 && n != a.Data.Length))
        {
            throw Fail($"node '{node.Name}': Add of shapes [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] does not broadcast");
        }

        for (int r = 0; r < a.Data.Length / n; r++)
        {
            TensorPrimitives.Add(a.Data.AsSpan(r * n, n), b.Data, y.AsSpan(r * n, n));
        }

        return new Tensor(y, a.Shape);
    }

    private Tensor Gemm(int index, NodeProto node, Dictionary<string, Tensor> values)
    {
        var a = values[node.Input[0]];
        var b = values[node.Input[1]];
        bool transA = Attr(node, "transA", 0) != 0;
        bool transB = Attr(node, "transB", 0) != 0;
        float alpha = AttrF(node, "alpha", 1f);
        float beta = AttrF(node, "beta", 1f);
        if (a.Shape.Length != 2 || b.Shape.Length != 2)
        {
            throw Fail($"node '{node.Name}': Gemm needs 2-D inputs, got [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}]");
        }

        var aRows = transA ? Transpose(a.Data, a.Shape[0], a.Shape[1]) : a.Data;
        int m = transA ? a.Shape[1] : a.Shape[0];
        int k = transA ? a.Shape[0] : a.Shape[1];
        int n = transB ? b.Shape[0] : b.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0];
        if (k != kb)
        {
            throw Fail($"node '{node.Name}': Gemm inner dimensions differ ({k} and {kb})");
        }

        // Rows of B' ([n, k]) so each output value is one contiguous dot product.
        var bRows = transB ? b.Data : TransposedConstant(index, node.Input[1], b);
        var y = Multiply(aRows, bRows, m, k, n, alpha);
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            var c = values[node.Input[2]];
            for (int i = 0; i < y.Length; i++)
            {
                float cv = c.Data.Length switch
                {
                    1 => c.Data[0],
                    _ when c.Data.Length == n => c.Data[i % n],
                    _ when c.Data.Length == m * n => c.Data[i],
                    _ when c.Data.Length == m => c.Data[i / n],
                    _ => throw Fail($"node '{node.Name}': Gemm bias of shape [{string.Join(", ", c.Shape)}] does not broadcast to [{m}, {n}]"),
                };
                y[i] += beta * cv;
            }
        }

        return new Tensor(y, [m, n]);
    }

    private Tensor MatMul(int index, NodeProto node, Dictionary<string, Tensor> values)
    {
        var a = values[node.Input[0]];
        var b = values[node.Input[1]];
        if (a.Shape.Length != 2 || b.Shape.Length != 2 || a.Shape[1] != b.Shape[0])
        {
            throw Fail($"node '{node.Name}': MatMul of [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] is not a supported 2-D product");
        }

        var bRows = TransposedConstant(index, node.Input[1], b);
        return new Tensor(Multiply(a.Data, bRows, a.Shape[0], a.Shape[1], b.Shape[1], 1f), [a.Shape[0], b.Shape[1]]);
    }

    private float[] TransposedConstant(int index, string name, Tensor b)
    {
        if (!_constants.ContainsKey(name))
        {
            return Transpose(b.Data, b.Shape[0], b.Shape[1]);
        }

        lock (_transposed)
        {
            if (!_transposed.TryGetValue(index, out var t))
            {
                t = Transpose(b.Data, b.Shape[0], b.Shape[1]);
                _transposed[index] = t;
            }

            return t;
        }
    }

    private static float[] Multiply(float[] aRows, float[] bRows, int m, int k, int n, float alpha)
    {
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            var row = aRows.AsSpan(i * k, k);
            for (int j = 0; j < n; j++)
            {
                y[(i * n) + j] = alpha * TensorPrimitives.Dot(row, bRows.AsSpan(j * k, k));
            }
        }

        return y;
    }

    private static float[] Transpose(float[] data, int rows, int cols)
    {
        var t = new float[data.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                t[(c * rows) + r] = data[(r * cols) + c];
            }
        }

        return t;
    }

    private Tensor ReadTensor(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw Fail($"initializer '{t.Name}' has data type {t.DataType}; only float32 (1) is supported");
        }

        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
        {
            throw Fail($"initializer '{t.Name}' keeps its data in an external file, which is not supported");
        }

        var shape = t.Dims.Select(d => checked((int)d)).ToArray();
        long count = shape.Aggregate(1L, (p, d) => p * d);
        float[] data;
        if (t.HasRawData)
        {
            if (t.RawData.Length != count * 4)
            {
                throw Fail($"initializer '{t.Name}' holds {t.RawData.Length} bytes, shape [{string.Join(", ", shape)}] needs {count * 4}");
            }

            data = new float[count];
            var raw = t.RawData.Span;
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(raw).CopyTo(data);
            }
            else
            {
                for (int i = 0; i < count; i++)
                {
                    data[i] = BitConverter.Int32BitsToSingle(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]));
                }
            }
        }
        else
        {
            if (t.FloatData.Count != count)
            {
                throw Fail($"initializer '{t.Name}' holds {t.FloatData.Count} values, shape [{string.Join(", ", shape)}] needs {count}");
            }

            data = [.. t.FloatData];
        }

        return new Tensor(data, shape);
    }

    private List<long?> Shape(ValueInfoProto value, string role)
    {
        var tensor = value.Type?.TensorType ?? throw Fail($"graph {role} '{value.Name}' is not a tensor");
        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw Fail($"graph {role} '{value.Name}' has element type {tensor.ElemType}; only float32 (1) is supported");
        }

        var dims = tensor.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? (long?)d.DimValue : null).ToList()
            ?? throw Fail($"graph {role} '{value.Name}' has no shape");
        if (role == "input")
        {
            bool ok = (dims.Count == 2 || (dims.Count == 4 && dims[1] == 1)) && dims.Skip(1).All(d => d is > 0);
            if (!ok)
            {
                throw Fail($"graph input '{value.Name}' has shape [{string.Join(", ", dims.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "?"))}]; expected [batch, features] or [batch, 1, height, width]");
            }
        }

        return dims;
    }

    private void CheckNodes(GraphProto graph)
    {
        var known = new HashSet<string>(_constants.Keys, StringComparer.Ordinal) { InputName };
        foreach (var node in graph.Node)
        {
            string label = string.IsNullOrEmpty(node.Name) ? node.OpType : node.Name;
            if (!(node.Domain is "" or "ai.onnx") || !SupportedOperators.Contains(node.OpType))
            {
                throw Fail($"operator '{node.OpType}' (node '{label}') is not supported by the Stepwise evaluator (supported: {string.Join(", ", SupportedOperators)})");
            }

            foreach (var input in node.Input.Where(i => i.Length > 0))
            {
                if (!known.Contains(input))
                {
                    throw Fail($"node '{label}' reads '{input}', which no earlier node or initializer produces");
                }
            }

            if (node.Output.Count != 1)
            {
                throw Fail($"node '{label}' has {node.Output.Count} outputs; the supported operators have one");
            }

            known.Add(node.Output[0]);
        }

        if (!known.Contains(OutputName))
        {
            throw Fail($"no node produces the graph output '{OutputName}'");
        }
    }

    private OnnxFormatException Fail(string message, Exception? inner = null) =>
        inner is null ? new OnnxFormatException($"{_path}: {message}.") : new OnnxFormatException($"{_path}: {message}.", inner);

    private sealed record Tensor(float[] Data, int[] Shape);
}
