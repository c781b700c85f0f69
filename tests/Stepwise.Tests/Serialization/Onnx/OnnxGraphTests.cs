using Google.Protobuf;
using Stepwise.Engine;
using Stepwise.Serialization.Onnx;
using Stepwise.Serialization.Onnx.Proto;

namespace Stepwise.Tests.Serialization.Onnx;

public class OnnxGraphTests
{
    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
        {
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    private static TensorProto Constant(string name, long[] dims, float[] values, bool raw)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        if (raw)
        {
            t.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        }
        else
        {
            t.FloatData.AddRange(values);
        }

        return t;
    }

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attrs)
    {
        var n = new NodeProto { OpType = op, Name = op.ToLowerInvariant() };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attrs);
        return n;
    }

    /// <summary>y = softmax(x · W + b) written with MatMul + Add + Identity, weights in float_data: another producer's layout.</summary>
    private static ModelProto MatMulModel(long opset = 13)
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(Value("x", -1, 2));
        graph.Output.Add(Value("y", -1, 3));
        graph.Initializer.Add(Constant("W", [2, 3], [1, 0, -1, 0, 2, 1], raw: false));
        graph.Initializer.Add(Constant("b", [3], [0.5f, 0, 0], raw: true));
        graph.Node.Add(Node("MatMul", ["x", "W"], "xw"));
        graph.Node.Add(Node("Add", ["xw", "b"], "z"));
        graph.Node.Add(Node("Identity", ["z"], "z2"));
        graph.Node.Add(Node("Softmax", ["z2"], "y"));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    private static float[] Softmax(params float[] z)
    {
        float max = z.Max();
        var e = z.Select(v => MathF.Exp(v - max)).ToArray();
        float sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    [Fact]
    public void A_matmul_add_graph_from_another_producer_runs_and_matches_hand_computed_values()
    {
        var graph = OnnxGraph.Parse(MatMulModel().ToByteArray(), "m.onnx");
        Assert.Equal(["0", "1", "2"], graph.ClassNames);
        Assert.Equal(ModelInputKind.Tabular, graph.Input.Kind);
        var output = new float[6];
        graph.Run([1, 2, -1, 0.5f], 2, output);
        // Row 1: [1,2]·W + b = [1.5, 4, 1]; row 2: [-1,0.5]·W + b = [-0.5, 1, 1.5].
        var expected = Softmax(1.5f, 4, 1).Concat(Softmax(-0.5f, 1, 1.5f)).ToArray();
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], output[i], 1e-6f);
        }
    }

    [Fact]
    public void Gemm_honours_alpha_beta_and_both_transpose_flags()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Input.Add(Value("x", -1, 2));
        graph.Output.Add(Value("y", -1, 2));
        graph.Initializer.Add(Constant("W", [2, 2], [1, 2, 3, 4], raw: true));
        graph.Initializer.Add(Constant("c", [1], [1], raw: true));
        graph.Node.Add(Node("Flatten", ["x"], "f", new AttributeProto { Name = "axis", I = 1, Type = AttributeProto.Types.AttributeType.Int }));
        graph.Node.Add(Node("Gemm", ["f", "W", "c"], "y",
            new AttributeProto { Name = "alpha", F = 2, Type = AttributeProto.Types.AttributeType.Float },
            new AttributeProto { Name = "beta", F = 3, Type = AttributeProto.Types.AttributeType.Float },
            new AttributeProto { Name = "transB", I = 1, Type = AttributeProto.Types.AttributeType.Int }));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        var run = OnnxGraph.Parse(model.ToByteArray(), "g.onnx");
        var y = new float[2];
        run.Run([1, 1], 1, y);
        // x·Wᵀ = [3, 7]; 2·[3, 7] + 3·1 = [9, 17].
        Assert.Equal([9f, 17f], y);
    }

    [Theory]
    [InlineData(11, "opset 11 is older than 13")]
    [InlineData(0, "no default-domain opset is imported")]
    public void Old_or_missing_opsets_are_refused(long opset, string message)
    {
        var model = MatMulModel(opset);
        if (opset == 0)
        {
            model.OpsetImport.Clear();
        }

        var ex = Assert.Throws<OnnxFormatException>(() => OnnxGraph.Parse(model.ToByteArray(), "m.onnx"));
        Assert.StartsWith($"m.onnx: {message}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensors_kept_in_external_files_and_inputs_never_produced_are_refused()
    {
        var external = MatMulModel();
        external.Graph.Initializer[0].DataLocation = TensorProto.Types.DataLocation.External;
        Assert.Contains("external file", Assert.Throws<OnnxFormatException>(() => OnnxGraph.Parse(external.ToByteArray(), "m.onnx")).Message, StringComparison.Ordinal);

        var dangling = MatMulModel();
        dangling.Graph.Node[1].Input[0] = "nowhere";
        Assert.Equal("m.onnx: node 'add' reads 'nowhere', which no earlier node or initializer produces.",
            Assert.Throws<OnnxFormatException>(() => OnnxGraph.Parse(dangling.ToByteArray(), "m.onnx")).Message);

        var wrongSize = MatMulModel();
        wrongSize.Graph.Initializer[1].RawData = ByteString.CopyFrom(new byte[8]);
        Assert.Contains("initializer 'b' holds 8 bytes", Assert.Throws<OnnxFormatException>(() => OnnxGraph.Parse(wrongSize.ToByteArray(), "m.onnx")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_names_must_agree_with_the_output_width()
    {
        var model = MatMulModel();
        model.MetadataProps.Add(new StringStringEntryProto { Key = "names", Value = "[\"a\",\"b\"]" });
        Assert.Contains("metadata 'names' lists 2 classes but the output has 3", Assert.Throws<OnnxFormatException>(() => OnnxGraph.Parse(model.ToByteArray(), "m.onnx")).Message, StringComparison.Ordinal);
    }
}
