using Stepwise.Imaging;
using Stepwise.TensorBoard.Model;
using Stepwise.TensorBoard.Reading;
using Stepwise.TensorBoard.Tests.Support;
using Stepwise.TensorBoard.Writing;

namespace Stepwise.TensorBoard.Tests.Writing;

/// <summary>Each golden scenario written again with <see cref="SummaryWriter"/> and compared with the reference file.</summary>
public class SummaryWriterGoldenTests
{
    private const double T0 = Golden.T0;

    [Fact]
    public void Scalars_scenario_is_byte_identical_to_tensorboardX()
    {
        using var dir = new TempDirectory();
        string file;
        using (var w = new SummaryWriter(dir.Path, Golden.Options()))
        {
            for (int step = 0; step < 50; step++)
            {
                w.AddScalar("train/loss", 1.0 / (1.0 + step), step, T0 + step);
                w.AddScalar("train/accuracy", step / 50.0, step, T0 + step);
            }

            file = w.FilePath;
        }

        Assert.Equal(Golden.Bytes("scalars"), File.ReadAllBytes(file));
    }

    [Fact]
    public void Text_scenario_is_byte_identical_to_tensorboardX()
    {
        using var dir = new TempDirectory();
        string file;
        using (var w = new SummaryWriter(dir.Path, Golden.Options()))
        {
            w.AddText("notes", "Hello **TensorBoard** \u2014 \u00fcn\u00efcode", 0, T0);
            file = w.FilePath;
        }

        Assert.Equal(Golden.Bytes("text"), File.ReadAllBytes(file));
    }

    [Fact]
    public void Raw_histogram_record_is_byte_identical_to_tensorboardX()
    {
        using var dir = new TempDirectory();
        string file;
        using (var w = new SummaryWriter(dir.Path, Golden.Options()))
        {
            w.AddHistogramRaw("weights/raw", new HistogramData
            {
                Min = 0, Max = 3, Count = 6, Sum = 9, SumSquares = 19, BucketLimits = [1, 2, 3], BucketCounts = [1, 2, 3],
            }, 0, T0);
            file = w.FilePath;
        }

        var golden = Golden.Payloads(Golden.Bytes("histogram"));
        var ours = Golden.Payloads(File.ReadAllBytes(file));
        Assert.Equal(golden[0], ours[0]);
        Assert.Equal(golden[2], ours[1]);
    }

    [Fact]
    public void Histogram_scenario_of_numpy_normal_values_is_byte_identical_to_tensorboardX()
    {
        var values = new NumpyRandom(0).Normal(1000);
        using var dir = new TempDirectory();
        string file;
        using (var w = new SummaryWriter(dir.Path, Golden.Options()))
        {
            w.AddHistogram("weights/normal", values, 0, T0);
            w.AddHistogramRaw("weights/raw", new HistogramData
            {
                Min = 0, Max = 3, Count = 6, Sum = 9, SumSquares = 19, BucketLimits = [1, 2, 3], BucketCounts = [1, 2, 3],
            }, 0, T0);
            file = w.FilePath;
        }

        var expected = ReadValue(Golden.File("histogram"), "weights/normal").Histogram!;
        var actual = ReadValue(file, "weights/normal").Histogram!;
        Assert.Equal(606, expected.BucketLimits.Count);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.BucketLimits, actual.BucketLimits);
        Assert.Equal(expected.BucketCounts, actual.BucketCounts);
        Assert.Equal(expected.Sum, actual.Sum);
        Assert.Equal(expected.SumSquares, actual.SumSquares);
        Assert.Equal(Golden.Bytes("histogram"), File.ReadAllBytes(file));
    }

    [Fact]
    public void Image_scenario_decodes_to_the_reference_pixels_size_and_metadata()
    {
        var image = new RasterImage(8, 6, 3);
        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                image[x, y, 0] = (byte)(x * 32);
                image[x, y, 1] = (byte)(y * 40);
                image[x, y, 2] = 128;
            }
        }

        using var dir = new TempDirectory();
        string file;
        using (var w = new SummaryWriter(dir.Path, Golden.Options()))
        {
            w.AddImage("samples/gradient", image, 0, T0);
            file = w.FilePath;
        }

        var expected = ReadValue(Golden.File("image"), "samples/gradient");
        var actual = ReadValue(file, "samples/gradient");
        Assert.Equal((expected.Image!.Height, expected.Image.Width, expected.Image.Colorspace), (actual.Image!.Height, actual.Image.Width, actual.Image.Colorspace));
        Assert.Equal(expected.Image.Decode().Pixels, actual.Image.Decode().Pixels);
        Assert.Equal("images", actual.PluginName);
        Assert.Equal(expected.Metadata, actual.Metadata! with { Content = expected.Metadata!.Content });
        Assert.Empty(actual.Metadata!.Content);
    }

    [Fact]
    public void Hparams_in_a_named_sub_run_match_the_reference_records()
    {
        using var dir = new TempDirectory();
        string parentFile;
        using (var w = new SummaryWriter(dir.Path, Golden.Options()))
        {
            parentFile = w.FilePath;
            w.AddHParams(
                new Dictionary<string, object?> { ["lr"] = 0.01, ["batch_size"] = 32, ["optimizer"] = "adam", ["use_bn"] = true },
                new Dictionary<string, double> { ["hparam/accuracy"] = 0.91, ["hparam/loss"] = 0.25 },
                new HParamsOptions { RunName = "1700000000.0" });
        }

        Assert.Equal(Golden.Bytes("hparams"), File.ReadAllBytes(parentFile));
        string subFile = Directory.GetFiles(Path.Combine(dir.Path, "1700000000.0")).Single();
        var golden = Golden.Payloads(File.ReadAllBytes(Golden.File("hparams/1700000000.0")));
        var ours = Golden.Payloads(File.ReadAllBytes(subFile));
        Assert.Equal(golden.Count, ours.Count);
        foreach (int i in new[] { 0, 1, 3, 4, 5 })
        {
            Assert.Equal(golden[i], ours[i]);
        }

        // The session_start_info map is serialized in hash order by the reference: compare decoded, as a set.
        var expected = ReadValue(Golden.File("hparams/1700000000.0"), "_hparams_/session_start_info").HParams!;
        var actual = ReadValue(subFile, "_hparams_/session_start_info").HParams!;
        Assert.Equal(HParamsKind.SessionStart, actual.Kind);
        Assert.Equal(expected.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(golden[2].Length, ours[2].Length);
    }

    [Fact]
    public void Graph_scenario_decodes_to_the_reference_nodes_and_run_metadata()
    {
        using var dir = new TempDirectory();
        string file;
        using (var w = new SummaryWriter(dir.Path, Golden.Options()))
        {
            w.AddGraph(ReferenceGraph(), T0);
            file = w.FilePath;
        }

        var golden = Golden.Payloads(Golden.Bytes("graph"));
        var ours = Golden.Payloads(File.ReadAllBytes(file));
        Assert.Equal(golden.Count, ours.Count);
        Assert.Equal(golden[0], ours[0]);
        Assert.Equal(golden[2], ours[2]);
        Assert.Equal(golden[1].Length, ours[1].Length);
        var expected = EventFileReader.ReadFile(Golden.File("graph")).Single(e => e.Kind == EventKind.Graph).Graph!;
        var actual = EventFileReader.ReadFile(file).Single(e => e.Kind == EventKind.Graph).Graph!;
        Assert.Equal(Canonical(expected), Canonical(actual));
    }

    internal static GraphDefinition ReferenceGraph()
    {
        static GraphAttribute Shape(params long[] dims) => new() { Name = "_output_shapes", Shapes = [dims] };
        static GraphAttribute Attr(string text) => new() { Name = "attr", Text = text };
        return new GraphDefinition
        {
            Producer = 22,
            Nodes =
            [
                new() { Name = "input/input.1", Op = "IO Node", Attributes = [Attr(""), Shape(1, 4)] },
                new() { Name = "output/output.1", Op = "IO Node", Inputs = ["Sequential/Linear[2]/42"], Attributes = [Shape(1, 2), Attr("")] },
                new() { Name = "Sequential/Linear[0]/bias/bias.1", Op = "prim::GetAttr", Inputs = ["Sequential/Linear[0]/weight/_0"], Attributes = [Attr("{ name :  bias }")] },
                new() { Name = "Sequential/Linear[0]/weight/weight.1", Op = "prim::GetAttr", Inputs = ["Sequential/Linear[0]/weight/_0"], Attributes = [Attr("{ name :  weight }")] },
                new() { Name = "Sequential/Linear[0]/input.3", Op = "aten::linear", Inputs = ["input/input.1", "Sequential/Linear[0]/weight/weight.1", "Sequential/Linear[0]/bias/bias.1"], Attributes = [Shape(1, 3), Attr("{}")] },
                new() { Name = "Sequential/ReLU[1]/input", Op = "aten::relu", Inputs = ["Sequential/Linear[0]/input.3"], Attributes = [Attr("{}"), Shape(1, 3)] },
                new() { Name = "Sequential/Linear[2]/bias/bias", Op = "prim::GetAttr", Inputs = ["Sequential/Linear[2]/weight/_2"], Attributes = [Attr("{ name :  bias }")] },
                new() { Name = "Sequential/Linear[2]/weight/weight", Op = "prim::GetAttr", Inputs = ["Sequential/Linear[2]/weight/_2"], Attributes = [Attr("{ name :  weight }")] },
                new() { Name = "Sequential/Linear[2]/42", Op = "aten::linear", Inputs = ["Sequential/ReLU[1]/input", "Sequential/Linear[2]/weight/weight", "Sequential/Linear[2]/bias/bias"], Attributes = [Attr("{}"), Shape(1, 2)] },
            ],
        };
    }

    /// <summary>A graph as text with each node's attributes sorted by name (the attr map has no defined order).</summary>
    internal static string Canonical(GraphDefinition graph) =>
        $"producer {graph.Producer}\n" + string.Join("\n", graph.Nodes.Select(n =>
            $"{n.Name} | {n.Op} | {n.Device} | {string.Join(",", n.Inputs)} | " + string.Join(";", n.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a =>
                $"{a.Name}={a.Text}/{(a.Shapes is null ? "-" : string.Join(" ", a.Shapes.Select(s => "[" + string.Join(",", s) + "]")))}/{a.Int}/{a.Float}/{a.Bool}"))));

    private static SummaryValue ReadValue(string file, string tag) =>
        EventFileReader.ReadFile(file).SelectMany(e => e.Values).Single(v => v.Tag == tag);
}
