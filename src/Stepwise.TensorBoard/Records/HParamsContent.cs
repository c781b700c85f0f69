using Stepwise.TensorBoard.Model;

namespace Stepwise.TensorBoard.Records;

/// <summary>Encodes and decodes <c>HParamsPluginData</c> (the hparams plugin's summary content).</summary>
internal static class HParamsContent
{
    public static byte[] Experiment(IReadOnlyList<HParamInfo> infos, IReadOnlyList<string> metricTags)
    {
        var w = new ProtoWriter(128);
        int experiment = w.BeginMessage(2);
        foreach (var info in infos)
        {
            int h = w.BeginMessage(4);
            w.String(1, info.Name);
            w.Int64(4, (long)info.Type);
            w.EndMessage(h);
        }

        foreach (string tag in metricTags)
        {
            int m = w.BeginMessage(5);
            int name = w.BeginMessage(1);
            w.String(2, tag);
            w.EndMessage(name);
            w.EndMessage(m);
        }

        w.EndMessage(experiment);
        return w.ToArray();
    }

    public static byte[] SessionStart(IReadOnlyList<KeyValuePair<string, object>> values)
    {
        var w = new ProtoWriter(128);
        int start = w.BeginMessage(3);
        foreach (var (name, value) in values)
        {
            int entry = w.BeginMessage(1);
            w.StringAlways(1, name);
            int v = w.BeginMessage(2);
            switch (value)
            {
                case bool b:
                    w.Int64Always(4, b ? 1 : 0);
                    break;
                case string s:
                    w.StringAlways(3, s);
                    break;
                default:
                    w.DoubleAlways(2, (double)value);
                    break;
            }

            w.EndMessage(v);
            w.EndMessage(entry);
        }

        w.EndMessage(start);
        return w.ToArray();
    }

    public static byte[] SessionEnd(int status)
    {
        var w = new ProtoWriter(8);
        int end = w.BeginMessage(4);
        w.Int64(1, status);
        w.EndMessage(end);
        return w.ToArray();
    }

    public static HParamsData Decode(ReadOnlySpan<byte> content)
    {
        var r = new ProtoReader(content);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 2 when wire == WireType.LengthDelimited:
                    return DecodeExperiment(r.ReadBytes());
                case 3 when wire == WireType.LengthDelimited:
                    return DecodeSessionStart(r.ReadBytes());
                case 4 when wire == WireType.LengthDelimited:
                    return DecodeSessionEnd(r.ReadBytes());
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new HParamsData { Kind = HParamsKind.Unknown };
    }

    private static HParamsData DecodeExperiment(ReadOnlySpan<byte> data)
    {
        var infos = new List<HParamInfo>();
        var metrics = new List<string>();
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == 4 && wire == WireType.LengthDelimited)
            {
                var h = new ProtoReader(r.ReadBytes());
                string name = string.Empty;
                var type = HParamType.Unset;
                while (h.TryReadTag(out int f, out var hw))
                {
                    switch (f)
                    {
                        case 1:
                            name = h.ReadString();
                            break;
                        case 4:
                            type = (HParamType)h.ReadInt32();
                            break;
                        default:
                            h.Skip(hw);
                            break;
                    }
                }

                infos.Add(new HParamInfo(name, type));
            }
            else if (field == 5 && wire == WireType.LengthDelimited)
            {
                var m = new ProtoReader(r.ReadBytes());
                string tag = string.Empty;
                while (m.TryReadTag(out int f, out var mw))
                {
                    if (f == 1 && mw == WireType.LengthDelimited)
                    {
                        var n = new ProtoReader(m.ReadBytes());
                        while (n.TryReadTag(out int nf, out var nw))
                        {
                            if (nf == 2)
                            {
                                tag = n.ReadString();
                            }
                            else
                            {
                                n.Skip(nw);
                            }
                        }
                    }
                    else
                    {
                        m.Skip(mw);
                    }
                }

                metrics.Add(tag);
            }
            else
            {
                r.Skip(wire);
            }
        }

        return new HParamsData { Kind = HParamsKind.Experiment, HParamInfos = infos, MetricTags = metrics };
    }

    private static HParamsData DecodeSessionStart(ReadOnlySpan<byte> data)
    {
        var values = new List<KeyValuePair<string, object>>();
        string group = string.Empty;
        double start = 0;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.LengthDelimited:
                    var e = new ProtoReader(r.ReadBytes());
                    string key = string.Empty;
                    object value = 0.0;
                    while (e.TryReadTag(out int f, out var ew))
                    {
                        if (f == 1)
                        {
                            key = e.ReadString();
                        }
                        else if (f == 2 && ew == WireType.LengthDelimited)
                        {
                            value = DecodeValue(e.ReadBytes());
                        }
                        else
                        {
                            e.Skip(ew);
                        }
                    }

                    values.Add(new(key, value));
                    break;
                case 4:
                    group = r.ReadString();
                    break;
                case 5:
                    start = r.ReadDouble();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new HParamsData { Kind = HParamsKind.SessionStart, Values = values, GroupName = group, StartTimeSeconds = start };
    }

    private static object DecodeValue(ReadOnlySpan<byte> data)
    {
        object value = 0.0;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 2 when wire == WireType.Fixed64:
                    value = r.ReadDouble();
                    break;
                case 3 when wire == WireType.LengthDelimited:
                    value = r.ReadString();
                    break;
                case 4 when wire == WireType.Varint:
                    value = r.ReadBool();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return value;
    }

    private static HParamsData DecodeSessionEnd(ReadOnlySpan<byte> data)
    {
        int status = 0;
        double end = 0;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.Varint:
                    status = r.ReadInt32();
                    break;
                case 2 when wire == WireType.Fixed64:
                    end = r.ReadDouble();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new HParamsData { Kind = HParamsKind.SessionEnd, Status = status, EndTimeSeconds = end };
    }
}
