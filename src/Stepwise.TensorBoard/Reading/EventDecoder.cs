using System.Text;
using Stepwise.TensorBoard.Model;
using Stepwise.TensorBoard.Records;

namespace Stepwise.TensorBoard.Reading;

/// <summary>Decodes serialized <c>Event</c> messages into <see cref="TensorBoardEvent"/>.</summary>
internal static class EventDecoder
{
    public static TensorBoardEvent Decode(ReadOnlySpan<byte> payload, string file, long offset, TagCache tags)
    {
        double wall = 0;
        long step = 0;
        var kind = EventKind.Empty;
        IReadOnlyList<SummaryValue> values = [];
        TensorBoardEvent.EventDetails? details = null;
        var r = new ProtoReader(payload);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case EventEncoder.EventWallTime when wire == WireType.Fixed64:
                    wall = r.ReadDouble();
                    break;
                case EventEncoder.EventStep when wire == WireType.Varint:
                    step = r.ReadInt64();
                    break;
                case EventEncoder.EventSummary when wire == WireType.LengthDelimited:
                    kind = EventKind.Summary;
                    values = DecodeSummary(r.ReadBytes(), tags);
                    break;
                case EventEncoder.EventFileVersion when wire == WireType.LengthDelimited:
                    kind = EventKind.FileVersion;
                    (details ??= new()).FileVersion = r.ReadString();
                    break;
                case EventEncoder.EventGraphDef when wire == WireType.LengthDelimited:
                    kind = EventKind.Graph;
                    var graphBytes = r.ReadBytes();
                    details ??= new();
                    details.RawPayload = graphBytes.ToArray();
                    details.Graph = GraphEncoder.Decode(graphBytes);
                    break;
                case EventEncoder.EventLogMessage when wire == WireType.LengthDelimited:
                    kind = EventKind.LogMessage;
                    (details ??= new()).LogMessage = DecodeStringField(r.ReadBytes(), 2);
                    break;
                case EventEncoder.EventSessionLog when wire == WireType.LengthDelimited:
                    kind = EventKind.SessionLog;
                    (details ??= new()).SessionLog = DecodeSessionLog(r.ReadBytes());
                    break;
                case EventEncoder.EventTaggedRunMetadata when wire == WireType.LengthDelimited:
                    kind = EventKind.TaggedRunMetadata;
                    details ??= new();
                    (details.RunMetadataTag, details.RawPayload, details.RunMetadataDevices) = DecodeTaggedRunMetadata(r.ReadBytes());
                    break;
                case EventEncoder.EventMetaGraphDef when wire == WireType.LengthDelimited:
                    kind = EventKind.MetaGraph;
                    (details ??= new()).RawPayload = r.ReadBytes().ToArray();
                    break;
                case EventEncoder.EventSourceMetadata when wire == WireType.LengthDelimited:
                    (details ??= new()).SourceWriter = DecodeStringField(r.ReadBytes(), 1) ?? string.Empty;
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new TensorBoardEvent(wall, step, kind, values, file, offset, details);
    }

    /// <summary>
    /// Reads only what a scalar needs. Returns false for events that are not a single-value scalar
    /// summary (the caller falls back to <see cref="Decode"/> for multi-value summaries).
    /// </summary>
    public static bool TryDecodeScalar(ReadOnlySpan<byte> payload, TagCache tags, out ScalarPoint point, out bool multiValue)
    {
        point = default;
        multiValue = false;
        double wall = 0;
        long step = 0;
        ReadOnlySpan<byte> summary = default;
        bool hasSummary = false;
        var r = new ProtoReader(payload);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == EventEncoder.EventWallTime && wire == WireType.Fixed64)
            {
                wall = r.ReadDouble();
            }
            else if (field == EventEncoder.EventStep && wire == WireType.Varint)
            {
                step = r.ReadInt64();
            }
            else if (field == EventEncoder.EventSummary && wire == WireType.LengthDelimited)
            {
                summary = r.ReadBytes();
                hasSummary = true;
            }
            else
            {
                r.Skip(wire);
            }
        }

        if (!hasSummary)
        {
            return false;
        }

        var s = new ProtoReader(summary);
        ReadOnlySpan<byte> valueBytes = default;
        int count = 0;
        while (s.TryReadTag(out int field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited)
            {
                valueBytes = s.ReadBytes();
                count++;
            }
            else
            {
                s.Skip(wire);
            }
        }

        if (count != 1)
        {
            multiValue = count > 1;
            return false;
        }

        var v = new ProtoReader(valueBytes);
        ReadOnlySpan<byte> tag = default;
        double value = double.NaN;
        bool simple = false;
        ReadOnlySpan<byte> tensor = default;
        ReadOnlySpan<byte> metadata = default;
        while (v.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.LengthDelimited:
                    tag = v.ReadBytes();
                    break;
                case 2 when wire == WireType.Fixed32:
                    value = v.ReadFloat();
                    simple = true;
                    break;
                case EventEncoder.ValueTensor when wire == WireType.LengthDelimited:
                    tensor = v.ReadBytes();
                    break;
                case EventEncoder.ValueMetadata when wire == WireType.LengthDelimited:
                    metadata = v.ReadBytes();
                    break;
                default:
                    v.Skip(wire);
                    break;
            }
        }

        if (!simple)
        {
            if (tensor.IsEmpty || metadata.IsEmpty || DecodeMetadata(metadata).PluginName != "scalars"
                || TensorDecoder.Decode(tensor).FirstNumber() is not double number)
            {
                return false;
            }

            value = number;
        }

        point = new ScalarPoint(tags.Get(tag), step, wall, value);
        return true;
    }

    private static SummaryValue[] DecodeSummary(ReadOnlySpan<byte> data, TagCache tags)
    {
        SummaryValue? single = null;
        List<SummaryValue>? many = null;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited)
            {
                var value = DecodeValue(r.ReadBytes(), tags);
                if (single is null)
                {
                    single = value;
                }
                else
                {
                    (many ??= [single]).Add(value);
                }
            }
            else
            {
                r.Skip(wire);
            }
        }

        return many is not null ? [.. many] : single is not null ? [single] : [];
    }

    private static SummaryValue DecodeValue(ReadOnlySpan<byte> data, TagCache tags)
    {
        string tag = string.Empty;
        double scalar = double.NaN;
        var kind = SummaryValueKind.Unknown;
        ImageData? image = null;
        HistogramData? histogram = null;
        TensorData? tensor = null;
        PluginMetadata? metadata = null;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case EventEncoder.ValueTag when wire == WireType.LengthDelimited:
                    tag = tags.Get(r.ReadBytes());
                    break;
                case EventEncoder.ValueSimple when wire == WireType.Fixed32:
                    scalar = r.ReadFloat();
                    kind = SummaryValueKind.Scalar;
                    break;
                case EventEncoder.ValueImage when wire == WireType.LengthDelimited:
                    image = DecodeImage(r.ReadBytes());
                    kind = SummaryValueKind.Image;
                    break;
                case EventEncoder.ValueHisto when wire == WireType.LengthDelimited:
                    histogram = DecodeHistogram(r.ReadBytes());
                    kind = SummaryValueKind.Histogram;
                    break;
                case EventEncoder.ValueAudio when wire == WireType.LengthDelimited:
                    r.ReadBytes();
                    kind = SummaryValueKind.Audio;
                    break;
                case EventEncoder.ValueTensor when wire == WireType.LengthDelimited:
                    tensor = TensorDecoder.Decode(r.ReadBytes());
                    break;
                case EventEncoder.ValueMetadata when wire == WireType.LengthDelimited:
                    metadata = DecodeMetadata(r.ReadBytes());
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        string plugin = metadata?.PluginName ?? string.Empty;
        object? payload = (object?)image ?? histogram;
        if (kind == SummaryValueKind.Unknown)
        {
            switch (plugin)
            {
                case "hparams":
                    kind = SummaryValueKind.HParams;
                    payload = HParamsContent.Decode(metadata!.Content);
                    break;
                case "scalars" when tensor?.FirstNumber() is double number:
                    kind = SummaryValueKind.Scalar;
                    scalar = number;
                    break;
                case "text" when tensor is not null:
                    kind = SummaryValueKind.Text;
                    payload = tensor.StringValues.Count > 0 ? Encoding.UTF8.GetString(tensor.StringValues[0]) : string.Empty;
                    break;
                case "pr_curves" when tensor is not null:
                    kind = SummaryValueKind.PrCurve;
                    payload = DecodePrCurve(tensor);
                    break;
                case "custom_scalars":
                    kind = SummaryValueKind.CustomScalars;
                    break;
                default:
                    if (tensor is not null)
                    {
                        kind = SummaryValueKind.Tensor;
                    }

                    break;
            }
        }

        return new SummaryValue(tag, kind, scalar, metadata, tensor, payload);
    }

    private static PrCurveData? DecodePrCurve(TensorData tensor)
    {
        var values = tensor.FloatValues;
        if (values.Count == 0 || values.Count % 6 != 0)
        {
            return null;
        }

        int n = values.Count / 6;
        float[] Row(int r) => [.. values.Skip(r * n).Take(n)];
        return new PrCurveData
        {
            NumThresholds = n,
            TruePositives = Row(0),
            FalsePositives = Row(1),
            TrueNegatives = Row(2),
            FalseNegatives = Row(3),
            Precision = Row(4),
            Recall = Row(5),
        };
    }

    internal static PluginMetadata DecodeMetadata(ReadOnlySpan<byte> data)
    {
        string plugin = string.Empty;
        byte[] content = [];
        string display = string.Empty;
        string description = string.Empty;
        int dataClass = 0;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.LengthDelimited:
                    var p = new ProtoReader(r.ReadBytes());
                    while (p.TryReadTag(out int f, out var pw))
                    {
                        if (f == 1 && pw == WireType.LengthDelimited)
                        {
                            plugin = p.ReadString();
                        }
                        else if (f == 2 && pw == WireType.LengthDelimited)
                        {
                            content = p.ReadBytes().ToArray();
                        }
                        else
                        {
                            p.Skip(pw);
                        }
                    }

                    break;
                case 2 when wire == WireType.LengthDelimited:
                    display = r.ReadString();
                    break;
                case 3 when wire == WireType.LengthDelimited:
                    description = r.ReadString();
                    break;
                case 4 when wire == WireType.Varint:
                    dataClass = r.ReadInt32();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new PluginMetadata { PluginName = plugin, Content = content, DisplayName = display, Description = description, DataClass = dataClass };
    }

    private static ImageData DecodeImage(ReadOnlySpan<byte> data)
    {
        int height = 0;
        int width = 0;
        int colorspace = 0;
        byte[] encoded = [];
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.Varint:
                    height = r.ReadInt32();
                    break;
                case 2 when wire == WireType.Varint:
                    width = r.ReadInt32();
                    break;
                case 3 when wire == WireType.Varint:
                    colorspace = r.ReadInt32();
                    break;
                case 4 when wire == WireType.LengthDelimited:
                    encoded = r.ReadBytes().ToArray();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new ImageData { Height = height, Width = width, Colorspace = colorspace, Encoded = encoded };
    }

    private static HistogramData DecodeHistogram(ReadOnlySpan<byte> data)
    {
        double min = 0;
        double max = 0;
        double num = 0;
        double sum = 0;
        double squares = 0;
        var limits = new List<double>();
        var counts = new List<double>();
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.Fixed64:
                    min = r.ReadDouble();
                    break;
                case 2 when wire == WireType.Fixed64:
                    max = r.ReadDouble();
                    break;
                case 3 when wire == WireType.Fixed64:
                    num = r.ReadDouble();
                    break;
                case 4 when wire == WireType.Fixed64:
                    sum = r.ReadDouble();
                    break;
                case 5 when wire == WireType.Fixed64:
                    squares = r.ReadDouble();
                    break;
                case 6:
                    r.ReadDoubles(wire, limits);
                    break;
                case 7:
                    r.ReadDoubles(wire, counts);
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new HistogramData { Min = min, Max = max, Count = num, Sum = sum, SumSquares = squares, BucketLimits = limits, BucketCounts = counts };
    }

    private static SessionLogEntry DecodeSessionLog(ReadOnlySpan<byte> data)
    {
        int status = 0;
        string path = string.Empty;
        string message = string.Empty;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.Varint:
                    status = r.ReadInt32();
                    break;
                case 2 when wire == WireType.LengthDelimited:
                    path = r.ReadString();
                    break;
                case 3 when wire == WireType.LengthDelimited:
                    message = r.ReadString();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new SessionLogEntry(status, path, message);
    }

    private static (string Tag, byte[] Raw, IReadOnlyList<string> Devices) DecodeTaggedRunMetadata(ReadOnlySpan<byte> data)
    {
        string tag = string.Empty;
        byte[] raw = [];
        var devices = new List<string>();
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited)
            {
                tag = r.ReadString();
            }
            else if (field == 2 && wire == WireType.LengthDelimited)
            {
                var bytes = r.ReadBytes();
                raw = bytes.ToArray();
                var meta = new ProtoReader(bytes);
                while (meta.TryReadTag(out int f, out var mw))
                {
                    if (f == 1 && mw == WireType.LengthDelimited)
                    {
                        var stats = new ProtoReader(meta.ReadBytes());
                        while (stats.TryReadTag(out int sf, out var sw))
                        {
                            if (sf == 1 && sw == WireType.LengthDelimited)
                            {
                                devices.Add(DecodeStringField(stats.ReadBytes(), 1) ?? string.Empty);
                            }
                            else
                            {
                                stats.Skip(sw);
                            }
                        }
                    }
                    else
                    {
                        meta.Skip(mw);
                    }
                }
            }
            else
            {
                r.Skip(wire);
            }
        }

        return (tag, raw, devices);
    }

    private static string? DecodeStringField(ReadOnlySpan<byte> data, int wanted)
    {
        string? result = null;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == wanted && wire == WireType.LengthDelimited)
            {
                result = r.ReadString();
            }
            else
            {
                r.Skip(wire);
            }
        }

        return result;
    }
}
