using System.Text.Json.Nodes;
using Google.Protobuf;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Serialization;
using Stepwise.Serialization.Onnx;
using Stepwise.Tests.Support;

namespace Stepwise.Tests.Engine;

public sealed class ExporterTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static string CopyCheckpoint(TempDirectory tmp, string checkpoint)
    {
        string path = tmp.Combine("weights", "best.safetensors");
        Directory.CreateDirectory(tmp.Combine("weights"));
        File.Copy(checkpoint, path);
        return path;
    }

    private static float[] Features(int count) => TrainedModels.Val.Features.AsSpan(0, count * TrainedModels.Val.FeatureCount).ToArray();

    [Fact]
    public void Export_raises_the_reference_event_sequence_with_the_output_path_at_the_end()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.ImageCheckpoint);
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var events = new List<string>();
        registry.Add(ExporterEvents.ExportStart, e => events.Add($"on_export_start format={e.Format.ToString().ToLowerInvariant()} file={Path.GetFileName(e.File)} output={e.OutputPath ?? "-"} names={e.Metadata["names"]}"));
        registry.Add(ExporterEvents.ExportEnd, e => events.Add($"on_export_end format={e.Format.ToString().ToLowerInvariant()} file={Path.GetFileName(e.File)} output={e.OutputPath} exists={File.Exists(e.OutputPath)}"));

        string output = new Exporter(registry, timeProvider: new FrozenTimeProvider()).Export(weights, ExportFormat.Onnx);

        var golden = File.ReadAllLines(EngineTestRun.GoldenDir("ultralytics", "trace_export.txt"))
            .Where(l => l.Length > 5 && char.IsDigit(l[0]))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        Assert.Equal(golden.Select(g => g[1]), events.Select(e => e.Split(' ')[0]));
        Assert.All(golden, g => Assert.Equal("format=onnx", g[4]));
        Assert.Equal(tmp.Combine("weights", "best.onnx"), output);
        Assert.Equal($"on_export_start format=onnx file=best.safetensors output=- names=[\"circle\",\"square\",\"triangle\",\"cross\",\"ring\",\"line\"]", events[0]);
        Assert.Equal($"on_export_end format=onnx file=best.safetensors output={output} exists=True", events[1]);
    }

    [Fact]
    public void The_onnx_model_predicts_what_the_checkpoint_predicts()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.ImageCheckpoint);
        string onnx = new Exporter().Export(weights, ExportFormat.Onnx);
        var checkpoint = EvaluationModel.Load(weights);
        var exported = EvaluationModel.Load(onnx);

        Assert.Equal(ModelFormat.Onnx, exported.Format);
        Assert.Equal(checkpoint.ClassNames, exported.ClassNames);
        Assert.Equal(ModelInputKind.Image, exported.Input.Kind);
        Assert.Equal((12, 12), (exported.Input.Width, exported.Input.Height));
        int n = TrainedModels.Val.Count;
        var expected = checkpoint.Predict(Features(n), n);
        var actual = exported.Predict(Features(n), n);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void A_tabular_model_exports_to_onnx_with_its_column_names_and_the_same_predictions()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.TabularCheckpoint);
        string onnx = new Exporter().Export(weights, ExportFormat.Onnx);
        var exported = EvaluationModel.Load(onnx);
        var graph = OnnxGraph.Parse(File.ReadAllBytes(onnx), onnx);

        Assert.Equal(["a", "b", "c"], exported.Input.FeatureNames);
        Assert.Equal(["Gemm", "Relu", "Gemm", "Softmax"], graph.Model.Graph.Node.Select(n => n.OpType));
        Assert.Equal([null, 3L], graph.InputShape);
        var x = new[] { 0.1f, 1.0f, 0.01f, 2.2f, 0f, 0.03f };
        var expected = EvaluationModel.Load(weights).Predict(x, 2);
        var actual = exported.Predict(x, 2);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void The_onnx_file_parses_back_with_the_expected_graph_opset_shapes_and_metadata()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.ImageCheckpoint);
        string onnx = new Exporter().Export(weights, ExportFormat.Onnx);
        var graph = OnnxGraph.Parse(File.ReadAllBytes(onnx), onnx);
        var model = graph.Model;

        Assert.Equal(8, model.IrVersion);
        Assert.Equal(17, Assert.Single(model.OpsetImport).Version);
        Assert.Equal("stepwise", model.ProducerName);
        Assert.Equal(Exporter.Version, model.ProducerVersion);
        Assert.Equal(["Flatten", "Gemm", "Relu", "Gemm", "Softmax"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal(["/flatten/Flatten", "/fc1/Gemm", "/relu1/Relu", "/fc2/Gemm", "/softmax/Softmax"], model.Graph.Node.Select(n => n.Name));
        Assert.Equal(1, model.Graph.Node[1].Attribute.Single(a => a.Name == "transB").I);
        Assert.Equal(1, model.Graph.Node[4].Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal("images", Assert.Single(model.Graph.Input).Name);
        Assert.Equal("output0", Assert.Single(model.Graph.Output).Name);
        var inDims = model.Graph.Input[0].Type.TensorType.Shape.Dim;
        Assert.Equal("batch", inDims[0].DimParam);
        Assert.Equal([1L, 12L, 12L], inDims.Skip(1).Select(d => d.DimValue));
        var outDims = model.Graph.Output[0].Type.TensorType.Shape.Dim;
        Assert.Equal("batch", outDims[0].DimParam);
        Assert.Equal(6, outDims[1].DimValue);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], model.Graph.Initializer.Select(t => t.Name));
        Assert.Equal([16L, 144L], model.Graph.Initializer[0].Dims);
        Assert.Equal(16 * 144 * 4, model.Graph.Initializer[0].RawData.Length);
        var meta = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("[\"circle\",\"square\",\"triangle\",\"cross\",\"ring\",\"line\"]", meta["names"]);
        Assert.Equal(Exporter.Version, meta["stepwise_version"]);
        Assert.Equal("classify", meta["task"]);
        Assert.Equal("[12, 12]", meta["imgsz"]);
        Assert.Equal("image", JsonNode.Parse(meta["input"])!["kind"]!.GetValue<string>());
        Assert.Equal("12", JsonNode.Parse(meta["args"])!["imgsz"]!.ToJsonString());
    }

    [Fact]
    public void The_onnx_bytes_use_the_field_numbers_of_the_onnx_specification()
    {
        using var tmp = new TempDirectory();
        string onnx = new Exporter().Export(CopyCheckpoint(tmp, models.ImageCheckpoint), ExportFormat.Onnx);
        var bytes = File.ReadAllBytes(onnx);
        // ModelProto: ir_version = 1 (varint), producer_name = 2, producer_version = 3, doc_string = 6,
        // graph = 7, opset_import = 8, metadata_props = 14 (length-delimited).
        var fields = new List<(int Number, int WireType)>();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            fields.Add(((int)(tag >> 3), (int)(tag & 7)));
            input.SkipLastField();
        }

        Assert.Equal((1, 0), fields[0]);
        Assert.Equal([1, 2, 3, 6, 7, 8, 14], fields.Select(f => f.Number).Distinct().Order());
        Assert.All(fields.Where(f => f.Number != 1), f => Assert.Equal(2, f.WireType));
        Assert.Equal([0x08, 0x08], bytes[..2]);
    }

    [Fact]
    public void Safetensors_export_writes_weights_only_with_names_input_and_architecture()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.ImageCheckpoint);
        string output = new Exporter().Export(weights, ExportFormat.SafeTensors);
        var file = SafeTensorsFile.Read(output);
        var checkpoint = SafeTensorsFile.Read(weights);

        Assert.Equal(tmp.Combine("weights", "best.weights.safetensors"), output);
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains(checkpoint.Tensors, t => t.Name.StartsWith("optimizer.", StringComparison.Ordinal) || t.Name.StartsWith("fc", StringComparison.Ordinal));
        foreach (var t in file.Tensors)
        {
            Assert.Equal(checkpoint.Find(t.Name)!.Data, t.Data);
        }

        Assert.Equal("stepwise-weights", file.Metadata["format"]);
        Assert.Equal("[\"circle\",\"square\",\"triangle\",\"cross\",\"ring\",\"line\"]", file.Metadata["names"]);
        Assert.Equal("[12, 12]", file.Metadata["imgsz"]);
        Assert.Equal("mlp", JsonNode.Parse(file.Metadata["model"])!["type"]!.GetValue<string>());
        Assert.Equal(16, JsonNode.Parse(file.Metadata["model"])!["hidden"]![0]!.GetValue<int>());
        Assert.False(file.Metadata.ContainsKey("optimizer"));
        var loaded = EvaluationModel.Load(output);
        Assert.Equal(ModelFormat.SafeTensors, loaded.Format);
        Assert.Equal(EvaluationModel.Load(weights).Predict(Features(3), 3), loaded.Predict(Features(3), 3));
    }

    [Fact]
    public void An_unsupported_format_is_an_error_listing_the_supported_ones()
    {
        var ex = Assert.Throws<ExportException>(() => new Exporter().Run(new Dictionary<string, string> { ["model"] = models.ImageCheckpoint, ["format"] = "tflite" }));
        Assert.Equal("Unsupported export format 'tflite'. Supported formats: onnx, safetensors.", ex.Message);
        Assert.Equal(ExportFormat.SafeTensors, Exporter.ParseFormat("SafeTensors"));
    }

    [Fact]
    public void Missing_weights_are_an_error_before_any_event()
    {
        using var tmp = new TempDirectory();
        var exporter = new Exporter(new CallbackRegistry(rank: RankInfo.Single));
        int events = 0;
        exporter.Callbacks.Add(ExporterEvents.ExportStart, _ => events++);
        string missing = tmp.Combine("weights", "best.safetensors");
        var ex = Assert.Throws<ModelLoadException>(() => exporter.Export(missing, ExportFormat.Onnx));
        Assert.Equal($"{missing}: model file not found.", ex.Message);
        Assert.Equal(0, events);
    }

    [Fact]
    public void An_output_path_that_cannot_be_written_is_an_error_and_leaves_nothing_behind()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.ImageCheckpoint);
        var exporter = new Exporter(new CallbackRegistry(rank: RankInfo.Single));
        int ends = 0;
        exporter.Callbacks.Add(ExporterEvents.ExportEnd, _ => ends++);

        string noFolder = tmp.Combine("missing", "model.onnx");
        var ex = Assert.Throws<ExportException>(() => exporter.Export(weights, ExportFormat.Onnx, noFolder));
        Assert.Contains(noFolder, ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);

        string folder = tmp.Combine("weights", "taken.onnx");
        Directory.CreateDirectory(folder);
        ex = Assert.Throws<ExportException>(() => exporter.Export(weights, ExportFormat.Onnx, folder));
        Assert.StartsWith($"{folder}: cannot write the export", ex.Message, StringComparison.Ordinal);

        Assert.Equal(0, ends);
        Assert.Null(exporter.OutputPath);
        Assert.Equal(["best.safetensors"], Directory.GetFiles(tmp.Combine("weights")).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void An_onnx_model_cannot_be_exported_again_and_an_export_never_overwrites_its_source()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.ImageCheckpoint);
        string onnx = new Exporter().Export(weights, ExportFormat.Onnx);
        Assert.Contains("cannot be exported again", Assert.Throws<ExportException>(() => new Exporter().Export(onnx, ExportFormat.SafeTensors)).Message, StringComparison.Ordinal);
        Assert.Contains("would overwrite the weights", Assert.Throws<ExportException>(() => new Exporter().Export(weights, ExportFormat.SafeTensors, weights)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_prints_where_the_export_went_and_how_to_use_it()
    {
        using var tmp = new TempDirectory();
        string weights = CopyCheckpoint(tmp, models.ImageCheckpoint);
        var output = new StringWriter();
        string path = new Exporter(timeProvider: new FrozenTimeProvider()).Run(new Dictionary<string, string> { ["model"] = weights, ["hub"] = "false" }, output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"ONNX (opset 17): export success 0.0s, saved as '{path}'", lines[1], StringComparison.Ordinal);
        Assert.Equal($"Results saved to {path}", lines[2]);
        Assert.Equal("Unknown argument 'fromat'. Did you mean format?", Assert.Throws<ArgumentException>(() => new Exporter().Run(new Dictionary<string, string> { ["fromat"] = "onnx" })).Message);
    }
}
