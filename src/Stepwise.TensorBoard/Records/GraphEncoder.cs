using Stepwise.TensorBoard.Model;

namespace Stepwise.TensorBoard.Records;

/// <summary>Encodes and decodes <c>GraphDef</c> with the node fields the Graphs dashboard uses.</summary>
internal static class GraphEncoder
{
    public static byte[] Encode(GraphDefinition graph)
    {
        var w = new ProtoWriter(256);
        foreach (var node in graph.Nodes)
        {
            int n = w.BeginMessage(1);
            w.String(1, node.Name);
            w.String(2, node.Op);
            foreach (string input in node.Inputs)
            {
                w.StringAlways(3, input);
            }

            w.String(4, node.Device);
            foreach (var attr in node.Attributes)
            {
                int entry = w.BeginMessage(5);
                w.StringAlways(1, attr.Name);
                int value = w.BeginMessage(2);
                if (attr.Shapes is { } shapes)
                {
                    int list = w.BeginMessage(1);
                    foreach (var shape in shapes)
                    {
                        EventEncoder.Shape(w, 7, shape.ToArray());
                    }

                    w.EndMessage(list);
                }
                else if (attr.Text is { } text)
                {
                    w.StringAlways(2, text);
                }
                else if (attr.Int is { } i)
                {
                    w.Int64Always(3, i);
                }
                else if (attr.Float is { } f)
                {
                    w.FloatAlways(4, f);
                }
                else if (attr.Bool is { } b)
                {
                    w.Int64Always(5, b ? 1 : 0);
                }

                w.EndMessage(value);
                w.EndMessage(entry);
            }

            w.EndMessage(n);
        }

        int versions = w.BeginMessage(4);
        w.Int64(1, graph.Producer);
        w.EndMessage(versions);
        return w.ToArray();
    }

    public static GraphDefinition Decode(ReadOnlySpan<byte> data)
    {
        var nodes = new List<GraphNode>();
        int producer = 0;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == 1 && wire == WireType.LengthDelimited)
            {
                nodes.Add(DecodeNode(r.ReadBytes()));
            }
            else if (field == 4 && wire == WireType.LengthDelimited)
            {
                var v = new ProtoReader(r.ReadBytes());
                while (v.TryReadTag(out int f, out var vw))
                {
                    if (f == 1 && vw == WireType.Varint)
                    {
                        producer = v.ReadInt32();
                    }
                    else
                    {
                        v.Skip(vw);
                    }
                }
            }
            else
            {
                r.Skip(wire);
            }
        }

        return new GraphDefinition { Nodes = nodes, Producer = producer };
    }

    private static GraphNode DecodeNode(ReadOnlySpan<byte> data)
    {
        string name = string.Empty;
        string op = string.Empty;
        string device = string.Empty;
        var inputs = new List<string>();
        var attributes = new List<GraphAttribute>();
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1:
                    name = r.ReadString();
                    break;
                case 2:
                    op = r.ReadString();
                    break;
                case 3:
                    inputs.Add(r.ReadString());
                    break;
                case 4:
                    device = r.ReadString();
                    break;
                case 5 when wire == WireType.LengthDelimited:
                    attributes.Add(DecodeAttribute(r.ReadBytes()));
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new GraphNode { Name = name, Op = op, Device = device, Inputs = inputs, Attributes = attributes };
    }

    private static GraphAttribute DecodeAttribute(ReadOnlySpan<byte> entry)
    {
        string key = string.Empty;
        var attribute = new GraphAttribute { Name = string.Empty };
        var r = new ProtoReader(entry);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == 1)
            {
                key = r.ReadString();
            }
            else if (field == 2 && wire == WireType.LengthDelimited)
            {
                attribute = DecodeAttrValue(r.ReadBytes());
            }
            else
            {
                r.Skip(wire);
            }
        }

        return attribute with { Name = key };
    }

    private static GraphAttribute DecodeAttrValue(ReadOnlySpan<byte> data)
    {
        var result = new GraphAttribute { Name = string.Empty };
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.LengthDelimited:
                    var shapes = new List<IReadOnlyList<long>>();
                    var list = new ProtoReader(r.ReadBytes());
                    while (list.TryReadTag(out int f, out var lw))
                    {
                        if (f == 7 && lw == WireType.LengthDelimited)
                        {
                            shapes.Add(TensorDecoder.DecodeShape(list.ReadBytes()));
                        }
                        else
                        {
                            list.Skip(lw);
                        }
                    }

                    result = result with { Shapes = shapes };
                    break;
                case 2 when wire == WireType.LengthDelimited:
                    result = result with { Text = r.ReadString() };
                    break;
                case 3 when wire == WireType.Varint:
                    result = result with { Int = r.ReadInt64() };
                    break;
                case 4 when wire == WireType.Fixed32:
                    result = result with { Float = r.ReadFloat() };
                    break;
                case 5 when wire == WireType.Varint:
                    result = result with { Bool = r.ReadBool() };
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return result;
    }
}
