using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Stepwise.Engine;
using Stepwise.Serialization.Onnx.Proto;
using Stepwise.Tasks;

namespace Stepwise.Serialization.Onnx;

/// <summary>
/// Builds the ONNX graph of a Stepwise classifier: Flatten → (Gemm → Relu)* → Gemm → Softmax, weights
/// as float32 initializers in PyTorch layout (<c>[out, in]</c> with <c>transB=1</c>), dynamic batch.
/// Dropout is an identity at inference and is left out.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>ONNX IR version written (the version that goes with opset 17).</summary>
    public const long IrVersion = 8;

    /// <summary>Default-domain opset written.</summary>
    public const long Opset = 17;

    public const string InputName = "images";

    public const string OutputName = "output0";

    public const string BatchDim = "batch";

    public static ModelProto Build(MlpClassifier model, IReadOnlyList<string> classNames, ModelInput input,
        IReadOnlyDictionary<string, object?> args, string version)
    {
        var graph = new GraphProto { Name = "stepwise_mlp" };
        var inputShape = input.Kind == ModelInputKind.Image
            ? new long?[] { null, 1, input.Height, input.Width }
            : [null, input.FeatureCount];
        graph.Input.Add(Value(InputName, inputShape));
        graph.Output.Add(Value(OutputName, [null, model.ClassCount]));

        string current = InputName;
        if (input.Kind == ModelInputKind.Image)
        {
            current = "/flatten/Flatten_output_0";
            graph.Node.Add(Node("Flatten", "/flatten/Flatten", [InputName], current, IntAttr("axis", 1)));
        }

        var parameters = model.Parameters();
        int layers = parameters.Count / 2;
        for (int l = 0; l < layers; l++)
        {
            var weight = parameters[2 * l];
            var bias = parameters[(2 * l) + 1];
            string layer = weight.Name[..weight.Name.IndexOf('.', StringComparison.Ordinal)];
            graph.Initializer.Add(Initializer(weight));
            graph.Initializer.Add(Initializer(bias));
            string gemmOut = $"/{layer}/Gemm_output_0";
            graph.Node.Add(Node("Gemm", $"/{layer}/Gemm", [current, weight.Name, bias.Name], gemmOut,
                FloatAttr("alpha", 1f), FloatAttr("beta", 1f), IntAttr("transB", 1)));
            current = gemmOut;
            if (l < layers - 1)
            {
                string relu = $"relu{l + 1}";
                string reluOut = $"/{relu}/Relu_output_0";
                graph.Node.Add(Node("Relu", $"/{relu}/Relu", [current], reluOut));
                current = reluOut;
            }
        }

        graph.Node.Add(Node("Softmax", "/softmax/Softmax", [current], OutputName, IntAttr("axis", 1)));

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "stepwise",
            ProducerVersion = version,
            DocString = $"Stepwise MLP classifier: {input}, hidden [{string.Join(", ", model.HiddenSizes)}], {model.ClassCount} classes.",
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        var metadata = new List<(string, string)>
        {
            ("description", "Stepwise MLP classifier"),
            ("author", "Stepwise"),
            ("stepwise_version", version),
            ("task", "classify"),
            ("names", new JsonArray([.. classNames.Select(n => (JsonNode?)JsonValue.Create(n))]).ToJsonString()),
            ("input", input.ToJson().ToJsonString()),
        };
        if (input.Kind == ModelInputKind.Image)
        {
            metadata.Add(("imgsz", string.Create(CultureInfo.InvariantCulture, $"[{input.Height}, {input.Width}]")));
        }

        metadata.Add(("architecture", new JsonObject
        {
            ["type"] = "mlp",
            ["inputs"] = model.InputCount,
            ["hidden"] = new JsonArray([.. model.HiddenSizes.Select(h => (JsonNode?)JsonValue.Create(h))]),
            ["classes"] = model.ClassCount,
        }.ToJsonString()));
        metadata.Add(("args", EvaluationModel.ArgsToJson(args).ToJsonString()));
        foreach (var (key, value) in metadata)
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return proto;
    }

    private static ValueInfoProto Value(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = BatchDim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto IntAttr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto FloatAttr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static TensorProto Initializer(NamedTensor tensor)
    {
        var proto = new TensorProto { Name = tensor.Name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(tensor.Shape.Select(d => (long)d));
        var bytes = new byte[tensor.Data.Length * 4];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(tensor.Data.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < tensor.Data.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), tensor.Data[i]);
            }
        }

        proto.RawData = ByteString.CopyFrom(bytes);
        return proto;
    }
}
