using System.Text;
using Stepwise.Imaging;
using Stepwise.TensorBoard.Callbacks;
using Stepwise.TensorBoard.Model;
using Stepwise.TensorBoard.Reading;
using Stepwise.TensorBoard.Records;
using Stepwise.TensorBoard.Tests.Support;
using Stepwise.TensorBoard.Writing;
using Stepwise.Tasks;

namespace Stepwise.TensorBoard.Tests.Writing;

/// <summary>Round trips of every summary kind through <see cref="SummaryWriter"/> and <see cref="EventFileReader"/>.</summary>
public sealed class SummaryWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = ManualTimeProvider.AtUnixSeconds(1_750_000_000);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_scalar_without_step_or_wall_time_gets_step_zero_and_the_clock_time()
    {
        var e = WriteAndRead(w => w.AddScalar("loss", 0.91)).Single();
        Assert.Equal(0, e.Step);
        Assert.Equal(1_750_000_000.0, e.WallTime);
        Assert.Equal((double)0.91f, e.Values[0].Scalar);
        Assert.Null(e.Values[0].Metadata);
    }

    [Fact]
    public void Scalar_display_name_and_description_go_into_metadata()
    {
        var v = WriteAndRead(w => w.AddScalar("loss", 2, 7, 5.5, "Loss", "**training** loss")).Single().Values[0];
        Assert.Equal(SummaryValueKind.Scalar, v.Kind);
        Assert.Equal(2, v.Scalar);
        Assert.Equal(("Loss", "**training** loss", ""), (v.Metadata!.DisplayName, v.Metadata.Description, v.Metadata.PluginName));
    }

    [Fact]
    public void Negative_and_large_steps_round_trip()
    {
        var events = WriteAndRead(w =>
        {
            w.AddScalar("x", 1, -3);
            w.AddScalar("x", 2, long.MaxValue);
        });
        Assert.Equal([-3L, long.MaxValue], events.Select(e => e.Step));
    }

    [Fact]
    public void Add_scalars_puts_each_series_in_its_own_sub_run_under_the_main_tag()
    {
        using (var w = Writer())
        {
            w.AddScalars("loss", new Dictionary<string, double> { ["train"] = 0.5, ["val"] = 0.75 }, 3);
        }

        Assert.Equal([".", "loss/train", "loss/val"], EventDirectory.FindRuns(_dir.Path));
        var val = EventFileReader.ReadRun(_dir.Combine("loss", "val")).SelectMany(e => e.Values.Select(v => (e.Step, v))).Single();
        Assert.Equal((3L, "loss", 0.75), (val.Step, val.v.Tag, val.v.Scalar));
    }

    [Fact]
    public void A_histogram_of_floats_round_trips_with_counts_summing_to_the_value_count()
    {
        var values = Enumerable.Range(0, 500).Select(i => (float)Math.Sin(i)).ToArray();
        var h = WriteAndRead(w => w.AddHistogram("w", values, 2)).Single().Values[0].Histogram!;
        Assert.Equal(500, h.Count);
        Assert.Equal(500, h.BucketCounts.Sum());
        Assert.Equal(values.Min(), h.Min);
        Assert.Equal(values.Max(), h.Max);
        Assert.Equal(0, h.BucketCounts[0]);
        Assert.True(h.BucketLimits.Zip(h.BucketLimits.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void Max_bins_merges_buckets_down_to_at_most_that_many()
    {
        var values = Enumerable.Range(-500, 1001).Select(i => i / 100.0).ToArray();
        var all = HistogramData.FromValues(values);
        var merged = HistogramData.FromValues(values, maxBins: 30);
        Assert.True(merged.BucketCounts.Count < all.BucketCounts.Count);
        Assert.Equal(1001, merged.BucketCounts.Sum());
        Assert.True(HistogramBuckets.DefaultEdges.Length / (HistogramBuckets.DefaultEdges.Length / 30) >= merged.BucketCounts.Count - 2);
    }

    [Fact]
    public void Histogram_input_errors_name_the_problem()
    {
        using var w = Writer();
        Assert.Contains("at least one value", Assert.Throws<ArgumentException>(() => w.AddHistogram("h", Array.Empty<double>())).Message, StringComparison.Ordinal);
        Assert.Contains("value 1 is NaN", Assert.Throws<ArgumentException>(() => w.AddHistogram("h", [1.0, double.NaN])).Message, StringComparison.Ordinal);
        var raw = new HistogramData { BucketLimits = [1, 2], BucketCounts = [1] };
        Assert.Contains("2 bucket limits but 1 counts", Assert.Throws<ArgumentException>(() => w.AddHistogramRaw("h", raw)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chw_byte_image_is_stored_as_png_with_interleaved_pixels()
    {
        // 2 channels would be invalid; use RGB 2x3 in planar order.
        byte[] planar = [1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26];
        var v = WriteAndRead(w => w.AddImage("img", planar, channels: 3, height: 2, width: 3)).Single().Values[0];
        Assert.Equal((2, 3, 3), (v.Image!.Height, v.Image.Width, v.Image.Colorspace));
        Assert.Equal([1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24, 5, 15, 25, 6, 16, 26], v.Image.Decode().Pixels);
        Assert.Equal("images", v.PluginName);
    }

    [Fact]
    public void Float_images_are_scaled_by_255_and_clipped()
    {
        float[] hw = [0f, 0.5f, 1f, 2f];
        var v = WriteAndRead(w => w.AddImage("gray", hw, channels: 1, height: 2, width: 2, ImageDataFormat.Hw)).Single().Values[0];
        Assert.Equal(1, v.Image!.Colorspace);
        Assert.Equal([0, 127, 255, 255], v.Image.Decode().Pixels);
    }

    [Fact]
    public void Add_images_lays_images_out_as_a_grid()
    {
        var images = Enumerable.Range(0, 5).Select(i => new RasterImage(4, 3, 1, Enumerable.Repeat((byte)(i * 40), 12).ToArray())).ToList();
        var v = WriteAndRead(w => w.AddImages("grid", images, columns: 2)).Single().Values[0];
        var grid = v.Image!.Decode();
        Assert.Equal((8, 9), (grid.Width, grid.Height));
        Assert.Equal(0, grid[0, 0, 0]);
        Assert.Equal(40, grid[4, 0, 0]);
        Assert.Equal(160, grid[0, 6, 0]);
        Assert.Equal(0, grid[4, 6, 0]);
    }

    [Fact]
    public void Image_input_errors_name_the_problem()
    {
        using var w = Writer();
        Assert.Contains("needs 12", Assert.Throws<ArgumentException>(() => w.AddImage("i", new byte[5], 3, 2, 2)).Message, StringComparison.Ordinal);
        Assert.Contains("not 2", Assert.Throws<ArgumentException>(() => w.AddImage("i", new byte[8], 2, 2, 2)).Message, StringComparison.Ordinal);
        Assert.Throws<PngFormatException>(() => w.AddImageEncoded("i", [1, 2, 3]));
        Assert.Contains("Image 1 is 2x2", Assert.Throws<ArgumentException>(() => w.AddImages("i", [new RasterImage(1, 1, 1), new RasterImage(2, 2, 1)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encoded_png_is_stored_unchanged()
    {
        var png = Png.Encode(new RasterImage(3, 2, 4));
        var v = WriteAndRead(w => w.AddImageEncoded("png", png, 1)).Single().Values[0];
        Assert.Equal(png, v.Image!.Encoded);
        Assert.Equal((2, 3, 4), (v.Image.Height, v.Image.Width, v.Image.Colorspace));
    }

    [Fact]
    public void Text_is_stored_under_the_text_summary_tag_as_a_string_tensor()
    {
        var v = WriteAndRead(w => w.AddText("notes", "ünïcode **md**", 4)).Single().Values[0];
        Assert.Equal(("notes/text_summary", SummaryValueKind.Text, "ünïcode **md**"), (v.Tag, v.Kind, v.Text));
        Assert.Equal(TensorDataType.String, v.Tensor!.DataType);
        Assert.Equal([1L], v.Tensor.Shape!);
    }

    [Fact]
    public void Hparams_go_into_the_current_run_by_default_and_the_experiment_lists_the_union_of_keys()
    {
        var events = WriteAndRead(w =>
        {
            w.AddHParams(new Dictionary<string, object?> { ["lr"] = 0.1f, ["opt"] = "sgd", ["none"] = null }, new Dictionary<string, double> { ["hp/acc"] = 0.5 });
            w.AddHParams(new Dictionary<string, object?> { ["lr"] = 0.2, ["bn"] = false, ["hidden"] = new[] { 16, 8 } },
                null, new HParamsOptions { MetricTags = ["metrics/top1"], Status = HParamsStatus.Failure, Step = 9 });
        });
        Assert.Equal(["."], EventDirectory.FindRuns(_dir.Path));
        var hp = events.SelectMany(e => e.Values).Where(v => v.Kind == SummaryValueKind.HParams).Select(v => v.HParams!).ToList();
        Assert.Equal(6, hp.Count);
        Assert.Equal([("lr", HParamType.Float64), ("opt", HParamType.String), ("bn", HParamType.Bool), ("hidden", HParamType.String)],
            hp[3].HParamInfos.Select(i => (i.Name, i.Type)));
        Assert.Equal(["hp/acc", "metrics/top1"], hp[3].MetricTags);
        Assert.Equal([new KeyValuePair<string, object>("lr", (double)0.1f), new("opt", "sgd")], hp[1].Values);
        Assert.Equal([new KeyValuePair<string, object>("lr", 0.2), new("bn", false), new("hidden", "16,8")], hp[4].Values);
        Assert.Equal((int)HParamsStatus.Failure, hp[5].Status);
        Assert.Contains(events, e => e.Values.Any(v => v.Tag == "hp/acc" && v.Scalar == 0.5));
    }

    [Fact]
    public void A_model_graph_round_trips_with_edges_between_existing_nodes()
    {
        var model = new MlpClassifier(12, [8], 3, dropout: 0.1);
        var graph = ModelGraph.FromLayers(model.Layers);
        var events = WriteAndRead(w => w.AddGraph(graph));
        Assert.Equal([EventKind.Graph, EventKind.TaggedRunMetadata], events.Select(e => e.Kind));
        Assert.Equal(SummaryWriterGoldenTests.Canonical(graph), SummaryWriterGoldenTests.Canonical(events[0].Graph!));
        Assert.Equal(("profiler", "/device:CPU:0"), (events[1].RunMetadataTag, events[1].RunMetadataDevices.Single()));
        var names = graph.Nodes.Select(n => n.Name).ToHashSet();
        Assert.All(graph.Nodes, n => Assert.All(n.Inputs, i => Assert.Contains(i, names)));
    }

    [Fact]
    public void A_pr_curve_is_computed_like_the_reference_and_stored_as_six_rows()
    {
        int[] labels = [1, 0, 1, 0];
        double[] predictions = [0.9, 0.8, 0.3, 0.1];
        var v = WriteAndRead(w => w.AddPrCurve("pr", labels, predictions, 1, numThresholds: 3)).Single().Values[0];
        Assert.Equal(SummaryValueKind.PrCurve, v.Kind);
        var c = v.PrCurve!;
        // Buckets floor(p*2): 0.9->1, 0.8->1, 0.3->0, 0.1->0; counts accumulate from the top threshold down.
        Assert.Equal([2f, 1f, 0f], c.TruePositives);
        Assert.Equal([2f, 1f, 0f], c.FalsePositives);
        Assert.Equal([0f, 1f, 2f], c.TrueNegatives);
        Assert.Equal([0f, 1f, 2f], c.FalseNegatives);
        Assert.Equal([0.5f, 0.5f, 0f], c.Precision);
        Assert.Equal([1f, 0.5f, 0f], c.Recall);
        Assert.Equal([6L, 3L], v.Tensor!.Shape!);
        Assert.Equal([0x10, 0x03], v.Metadata!.Content);
    }

    [Fact]
    public void Pr_curve_input_errors_name_the_problem()
    {
        using var w = Writer();
        Assert.Contains("must have the same length", Assert.Throws<ArgumentException>(() => w.AddPrCurve("pr", [1], [0.5, 0.2])).Message, StringComparison.Ordinal);
        Assert.Contains("Prediction 0 is 1.5", Assert.Throws<ArgumentException>(() => w.AddPrCurve("pr", [1], [1.5])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => w.AddPrCurveRaw("pr", new PrCurveData { NumThresholds = 2, TruePositives = [1] }));
    }

    [Fact]
    public void The_custom_scalars_layout_is_a_string_tensor_holding_the_layout_message()
    {
        var layout = new[]
        {
            new CustomScalarCategory("Loss", [new CustomScalarChart { Title = "all", Tags = ["loss/.*"] }]),
            new CustomScalarCategory("Bands", [new CustomScalarChart { Title = "m", Margins = [("v", "lo", "hi")] }], Closed: true),
        };
        var v = WriteAndRead(w => w.AddCustomScalars(layout)).Single().Values[0];
        Assert.Equal(("custom_scalars__config__", SummaryValueKind.CustomScalars, "custom_scalars"), (v.Tag, v.Kind, v.PluginName));
        Assert.Empty(v.Tensor!.Shape!);
        var text = Encoding.UTF8.GetString(v.Tensor.StringValues.Single());
        Assert.Contains("loss/.*", text, StringComparison.Ordinal);
        Assert.Equal(["Loss", "Bands"], Categories(v.Tensor.StringValues[0]));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void An_empty_tag_is_rejected(string tag)
    {
        using var w = Writer();
        Assert.Contains("must not be empty", Assert.Throws<ArgumentException>(() => w.AddScalar(tag, 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_with_a_character_tensorboard_does_not_use_is_rejected_naming_it()
    {
        using var w = Writer();
        var ex = Assert.Throws<ArgumentException>(() => w.AddScalar("model/speed(ms)", 1));
        Assert.Contains("'(' (U+0028) at index 11", ex.Message, StringComparison.Ordinal);
        Assert.Contains("starts with '/'", Assert.Throws<ArgumentException>(() => w.AddText("/notes", "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_tags_replaces_characters_like_tensorboardX()
    {
        var events = WriteAndRead(w => w.AddScalar("/model/speed (ms)", 1), new SummaryWriterOptions { SanitizeTags = true, File = Options().File });
        Assert.Equal("model/speed__ms_", events.Single().Values[0].Tag);
    }

    private static List<string> Categories(byte[] layout)
    {
        var titles = new List<string>();
        var r = new ProtoReader(layout);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == 2)
            {
                var c = new ProtoReader(r.ReadBytes());
                while (c.TryReadTag(out int f, out var cw))
                {
                    if (f == 1)
                    {
                        titles.Add(c.ReadString());
                    }
                    else
                    {
                        c.Skip(cw);
                    }
                }
            }
            else
            {
                r.Skip(wire);
            }
        }

        return titles;
    }

    private SummaryWriterOptions Options() => new() { File = new EventFileWriterOptions { Time = _time, FlushInterval = Timeout.InfiniteTimeSpan } };

    private SummaryWriter Writer() => new(_dir.Path, Options());

    /// <summary>Writes with a fresh writer, then reads the run back without the header record.</summary>
    private List<TensorBoardEvent> WriteAndRead(Action<SummaryWriter> write, SummaryWriterOptions? options = null)
    {
        string file;
        using (var w = new SummaryWriter(_dir.Path, options ?? Options()))
        {
            write(w);
            file = w.FilePath;
        }

        using var reader = new EventFileReader(file, new EventReaderOptions { OnCorruptRecord = CorruptRecordMode.Throw });
        return [.. reader.ReadEvents().Skip(1)];
    }
}
