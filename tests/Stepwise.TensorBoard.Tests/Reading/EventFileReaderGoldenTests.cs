using System.Globalization;
using Stepwise.TensorBoard.Model;
using Stepwise.TensorBoard.Reading;
using Stepwise.TensorBoard.Tests.Support;

namespace Stepwise.TensorBoard.Tests.Reading;

/// <summary>The reader decodes every golden file to the values of its <c>.txt</c> dump, record by record.</summary>
public class EventFileReaderGoldenTests
{
    public static TheoryData<string> GoldenFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Golden.Dir(), "*tfevents*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Golden.Dir(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Every_record_decodes_to_the_values_in_the_dump(string relative)
    {
        string file = Golden.Dir(relative);
        var expected = GoldenDump.Parse(file + ".txt");
        using var reader = new EventFileReader(file, new EventReaderOptions { OnCorruptRecord = CorruptRecordMode.Throw });
        var actual = reader.ReadEvents().ToList();
        Assert.Equal(expected.Count, actual.Count);
        bool hparamsRun = relative.Contains("1700000000.0", StringComparison.Ordinal) || relative.Contains("hp" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        Assert.Equal(hparamsRun, expected.Any(r => r.Decoded.Count > 0 && r.Decoded[0].Header.StartsWith("value", StringComparison.Ordinal)));
        for (int i = 0; i < actual.Count; i++)
        {
            Assert.Equal(expected[i].Offset, actual[i].Offset);
            Assert.NotEmpty(expected[i].Event);
            Assert.Equal(expected[i].Event, FlattenEvent(actual[i]));
            foreach (var (header, fields) in expected[i].Decoded)
            {
                Assert.Equal(fields, FlattenDecoded(header, actual[i]));
            }
        }
    }

    private static List<(string Path, string Value)> FlattenDecoded(string header, TensorBoardEvent e)
    {
        var f = new Flat();
        if (header.StartsWith("value '", StringComparison.Ordinal))
        {
            string tag = header[7..header.IndexOf('\'', 7)];
            var hp = e.Values.Single(v => v.Tag == tag).HParams!;
            HParams(f, hp);
        }
        else if (header.StartsWith("graph_def", StringComparison.Ordinal))
        {
            Graph(f, e.Graph!);
        }
        else
        {
            using (f.Message("step_stats"))
            {
                foreach (string device in e.RunMetadataDevices)
                {
                    using (f.Message("dev_stats"))
                    {
                        f.Add("device", GoldenDump.Text(device));
                    }
                }
            }
        }

        return f.Items;
    }

    private static List<(string Path, string Value)> FlattenEvent(TensorBoardEvent e)
    {
        var f = new Flat();
        if (e.WallTime != 0)
        {
            f.Add("wall_time", GoldenDump.Double(e.WallTime));
        }

        if (e.Step != 0)
        {
            f.Add("step", e.Step.ToString(CultureInfo.InvariantCulture));
        }

        switch (e.Kind)
        {
            case EventKind.FileVersion:
                f.Add("file_version", GoldenDump.Text(e.FileVersion!));
                break;
            case EventKind.Graph:
                f.Add("graph_def", GoldenDump.Bytes(e.RawPayload));
                break;
            case EventKind.Summary:
                using (f.Message("summary"))
                {
                    foreach (var v in e.Values)
                    {
                        using (f.Message("value"))
                        {
                            Value(f, v);
                        }
                    }
                }

                break;
            case EventKind.TaggedRunMetadata:
                using (f.Message("tagged_run_metadata"))
                {
                    f.Add("tag", GoldenDump.Text(e.RunMetadataTag!));
                    f.Add("run_metadata", GoldenDump.Bytes(e.RawPayload));
                }

                break;
        }

        if (e.SourceWriter.Length > 0)
        {
            using (f.Message("source_metadata"))
            {
                f.Add("writer", GoldenDump.Text(e.SourceWriter));
            }
        }

        return f.Items;
    }

    private static void Value(Flat f, SummaryValue v)
    {
        f.Add("tag", GoldenDump.Text(v.Tag));
        if (v.Kind == SummaryValueKind.Scalar && v.Tensor is null)
        {
            f.Add("simple_value", GoldenDump.Float(v.Scalar));
        }

        if (v.Image is { } image)
        {
            using (f.Message("image"))
            {
                f.AddNonZero("height", image.Height);
                f.AddNonZero("width", image.Width);
                f.AddNonZero("colorspace", image.Colorspace);
                f.Add("encoded_image_string", GoldenDump.Bytes(image.Encoded));
            }
        }

        if (v.Histogram is { } h)
        {
            using (f.Message("histo"))
            {
                foreach (var (name, value) in new[] { ("min", h.Min), ("max", h.Max), ("num", h.Count), ("sum", h.Sum), ("sum_squares", h.SumSquares) })
                {
                    if (value != 0)
                    {
                        f.Add(name, GoldenDump.Double(value));
                    }
                }

                foreach (double limit in h.BucketLimits)
                {
                    f.Add("bucket_limit", GoldenDump.Double(limit));
                }

                foreach (double count in h.BucketCounts)
                {
                    f.Add("bucket", GoldenDump.Double(count));
                }
            }
        }

        if (v.Tensor is { } t)
        {
            using (f.Message("tensor"))
            {
                f.Add("dtype", "DT_" + t.DataType.ToString().ToUpperInvariant());
                if (t.Shape is { } shape)
                {
                    using (f.Message("tensor_shape"))
                    {
                        foreach (long d in shape)
                        {
                            using (f.Message("dim"))
                            {
                                f.AddNonZero("size", d);
                            }
                        }
                    }
                }

                foreach (float x in t.FloatValues)
                {
                    f.Add("float_val", GoldenDump.Float(x));
                }

                foreach (byte[] s in t.StringValues)
                {
                    f.Add("string_val", GoldenDump.Bytes(s));
                }
            }
        }

        if (v.Metadata is { } m)
        {
            using (f.Message("metadata"))
            {
                if (m.PluginName.Length > 0 || m.Content.Length > 0)
                {
                    using (f.Message("plugin_data"))
                    {
                        f.Add("plugin_name", GoldenDump.Text(m.PluginName));
                        if (m.Content.Length > 0)
                        {
                            f.Add("content", GoldenDump.Bytes(m.Content));
                        }
                    }
                }

                if (m.DataClass != 0)
                {
                    f.Add("data_class", m.DataClass switch { 1 => "DATA_CLASS_SCALAR", 2 => "DATA_CLASS_TENSOR", 3 => "DATA_CLASS_BLOB_SEQUENCE", _ => "?" });
                }
            }
        }
    }

    private static void HParams(Flat f, HParamsData hp)
    {
        switch (hp.Kind)
        {
            case HParamsKind.Experiment:
                using (f.Message("experiment"))
                {
                    foreach (var info in hp.HParamInfos)
                    {
                        using (f.Message("hparam_infos"))
                        {
                            f.Add("name", GoldenDump.Text(info.Name));
                            f.Add("type", "DATA_TYPE_" + info.Type.ToString().ToUpperInvariant());
                        }
                    }

                    foreach (string tag in hp.MetricTags)
                    {
                        using (f.Message("metric_infos"))
                        using (f.Message("name"))
                        {
                            f.Add("tag", GoldenDump.Text(tag));
                        }
                    }
                }

                break;
            case HParamsKind.SessionStart:
                using (f.Message("session_start_info"))
                {
                    // Text format prints map entries sorted by key.
                    foreach (var (key, value) in hp.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        using (f.Message("hparams"))
                        {
                            f.Add("key", GoldenDump.Text(key));
                            using (f.Message("value"))
                            {
                                switch (value)
                                {
                                    case string s:
                                        f.Add("string_value", GoldenDump.Text(s));
                                        break;
                                    case bool b:
                                        f.Add("bool_value", b ? "true" : "false");
                                        break;
                                    default:
                                        f.Add("number_value", GoldenDump.Double((double)value));
                                        break;
                                }
                            }
                        }
                    }
                }

                break;
            case HParamsKind.SessionEnd:
                using (f.Message("session_end_info"))
                {
                    f.Add("status", hp.Status switch { 1 => "STATUS_SUCCESS", 2 => "STATUS_FAILURE", 3 => "STATUS_RUNNING", _ => "STATUS_UNKNOWN" });
                }

                break;
        }
    }

    private static void Graph(Flat f, GraphDefinition graph)
    {
        foreach (var node in graph.Nodes)
        {
            using (f.Message("node"))
            {
                f.Add("name", GoldenDump.Text(node.Name));
                f.Add("op", GoldenDump.Text(node.Op));
                foreach (string input in node.Inputs)
                {
                    f.Add("input", GoldenDump.Text(input));
                }

                foreach (var attr in node.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
                {
                    using (f.Message("attr"))
                    {
                        f.Add("key", GoldenDump.Text(attr.Name));
                        using (f.Message("value"))
                        {
                            if (attr.Shapes is { } shapes)
                            {
                                using (f.Message("list"))
                                {
                                    foreach (var shape in shapes)
                                    {
                                        using (f.Message("shape"))
                                        {
                                            foreach (long d in shape)
                                            {
                                                using (f.Message("dim"))
                                                {
                                                    f.AddNonZero("size", d);
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            else if (attr.Text is { } text)
                            {
                                f.Add("s", GoldenDump.Text(text));
                            }
                        }
                    }
                }
            }
        }

        using (f.Message("versions"))
        {
            f.AddNonZero("producer", graph.Producer);
        }
    }

    /// <summary>Builds (path, value) pairs in the shape <see cref="GoldenDump"/> produces.</summary>
    private sealed class Flat
    {
        private readonly List<string> _path = [];

        public List<(string Path, string Value)> Items { get; } = [];

        public void Add(string field, string value) => Items.Add((string.Join("/", _path) + "/" + field, value));

        public void AddNonZero(string field, long value)
        {
            if (value != 0)
            {
                Add(field, value.ToString(CultureInfo.InvariantCulture));
            }
        }

        public IDisposable Message(string name)
        {
            _path.Add(name);
            Items.Add((string.Join("/", _path), "{"));
            return new Pop(_path);
        }

        private sealed class Pop(List<string> path) : IDisposable
        {
            public void Dispose() => path.RemoveAt(path.Count - 1);
        }
    }
}
