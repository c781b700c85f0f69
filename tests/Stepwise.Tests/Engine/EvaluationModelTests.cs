using Google.Protobuf;
using Stepwise.Engine;
using Stepwise.Serialization;
using Stepwise.Serialization.Onnx.Proto;
using Stepwise.Tasks;

namespace Stepwise.Tests.Engine;

public sealed class EvaluationModelTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    [Fact]
    public void A_checkpoint_loads_with_its_classes_input_layout_and_training_args()
    {
        var model = EvaluationModel.Load(models.ImageCheckpoint);
        Assert.Equal(ModelFormat.Checkpoint, model.Format);
        Assert.Equal(ShapesDataset.ClassNames, model.ClassNames);
        Assert.Equal(ModelInputKind.Image, model.Input.Kind);
        Assert.Equal(144, model.InputCount);
        Assert.Equal("12", model.Args["imgsz"]);
        var tabular = EvaluationModel.Load(models.TabularCheckpoint);
        Assert.Equal("tabular 3 features (a, b, c)", tabular.Input.ToString());
        Assert.Equal(["k0", "k1", "k2"], tabular.ClassNames);
    }

    [Fact]
    public void Predict_returns_one_probability_row_per_sample()
    {
        var model = EvaluationModel.Load(models.ImageCheckpoint);
        var probs = model.Predict(TrainedModels.Val.Features.AsSpan(0, 2 * 144), 2);
        Assert.Equal(12, probs.Length);
        Assert.Equal(1.0, probs.Take(6).Sum(p => (double)p), 5);
        Assert.Throws<ArgumentException>(() => model.Predict(new float[10], 1));
    }

    [Fact]
    public void A_classifier_built_in_code_can_be_wrapped_when_its_sizes_agree()
    {
        var mlp = new MlpClassifier(4, [3], 2);
        var model = EvaluationModel.FromClassifier(mlp, ["a", "b"], ModelInput.Tabular(4));
        Assert.Equal(2, model.Predict(new float[4], 1).Length);
        Assert.Throws<ArgumentException>(() => EvaluationModel.FromClassifier(mlp, ["a", "b", "c"], ModelInput.Tabular(4)));
    }

    [Fact]
    public void Missing_folders_and_foreign_files_are_load_errors_naming_the_file()
    {
        using var tmp = new TempDirectory();
        string text = tmp.Combine("notes.onnx");
        File.WriteAllText(text, "hello");
        string other = tmp.Combine("other.bin");
        File.WriteAllText(other, "hello");
        string plain = tmp.Combine("plain.safetensors");
        SafeTensorsFile.Write(plain, [new NamedTensor("x", [1], [1f])]);
        string broken = tmp.Combine("broken.safetensors");
        var bytes = File.ReadAllBytes(models.ImageCheckpoint);
        File.WriteAllBytes(broken, bytes[..(bytes.Length / 2)]);

        Assert.Equal($"{tmp.Combine("x.onnx")}: model file not found.", Assert.Throws<ModelLoadException>(() => EvaluationModel.Load(tmp.Combine("x.onnx"))).Message);
        Assert.Contains("is a folder", Assert.Throws<ModelLoadException>(() => EvaluationModel.Load(tmp.Path)).Message, StringComparison.Ordinal);
        var ex = Assert.Throws<ModelLoadException>(() => EvaluationModel.Load(text));
        Assert.StartsWith($"{text}: not a valid ONNX model", ex.Message, StringComparison.Ordinal);
        Assert.Equal(text, ex.Path);
        Assert.Contains("neither safetensors nor ONNX", Assert.Throws<ModelLoadException>(() => EvaluationModel.Load(other)).Message, StringComparison.Ordinal);
        Assert.Contains("without Stepwise metadata", Assert.Throws<ModelLoadException>(() => EvaluationModel.Load(plain)).Message, StringComparison.Ordinal);
        Assert.StartsWith(broken, Assert.Throws<ModelLoadException>(() => EvaluationModel.Load(broken)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_onnx_model_with_an_operator_the_evaluator_does_not_run_is_refused_with_the_node_named()
    {
        using var tmp = new TempDirectory();
        var exported = new Exporter().Export(models.ImageCheckpoint, ExportFormat.Onnx, tmp.Combine("model.onnx"));
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(exported));
        proto.Graph.Node[2].OpType = "Sigmoid";
        string path = tmp.Combine("sigmoid.onnx");
        File.WriteAllBytes(path, proto.ToByteArray());
        var ex = Assert.Throws<ModelLoadException>(() => EvaluationModel.Load(path));
        Assert.Equal($"{path}: operator 'Sigmoid' (node '/relu1/Relu') is not supported by the Stepwise evaluator (supported: Flatten, Gemm, MatMul, Add, Relu, Softmax, Identity).", ex.Message);
    }
}
