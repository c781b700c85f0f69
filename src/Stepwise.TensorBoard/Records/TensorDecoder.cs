using Stepwise.TensorBoard.Model;

namespace Stepwise.TensorBoard.Records;

/// <summary>Decodes <c>TensorProto</c> and <c>TensorShapeProto</c>.</summary>
internal static class TensorDecoder
{
    public static IReadOnlyList<long> DecodeShape(ReadOnlySpan<byte> data)
    {
        var dims = new List<long>();
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            if (field == 2 && wire == WireType.LengthDelimited)
            {
                var d = new ProtoReader(r.ReadBytes());
                long size = 0;
                while (d.TryReadTag(out int f, out var dw))
                {
                    if (f == 1 && dw == WireType.Varint)
                    {
                        size = d.ReadInt64();
                    }
                    else
                    {
                        d.Skip(dw);
                    }
                }

                dims.Add(size);
            }
            else
            {
                r.Skip(wire);
            }
        }

        return dims;
    }

    public static TensorData Decode(ReadOnlySpan<byte> data)
    {
        var type = TensorDataType.Invalid;
        IReadOnlyList<long>? shape = null;
        List<float>? floats = null;
        List<double>? doubles = null;
        List<long>? ints = null;
        List<byte[]>? strings = null;
        byte[] content = [];
        var r = new ProtoReader(data);
        while (r.TryReadTag(out int field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.Varint:
                    type = (TensorDataType)r.ReadInt32();
                    break;
                case 2 when wire == WireType.LengthDelimited:
                    shape = DecodeShape(r.ReadBytes());
                    break;
                case 4 when wire == WireType.LengthDelimited:
                    content = r.ReadBytes().ToArray();
                    break;
                case 5:
                    r.ReadFloats(wire, floats ??= []);
                    break;
                case 6:
                    r.ReadDoubles(wire, doubles ??= []);
                    break;
                case 7 or 10 or 11:
                    r.ReadVarints(wire, ints ??= []);
                    break;
                case 8 when wire == WireType.LengthDelimited:
                    (strings ??= []).Add(r.ReadBytes().ToArray());
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return new TensorData
        {
            DataType = type,
            Shape = shape,
            FloatValues = (IReadOnlyList<float>?)floats ?? [],
            DoubleValues = (IReadOnlyList<double>?)doubles ?? [],
            IntValues = (IReadOnlyList<long>?)ints ?? [],
            StringValues = (IReadOnlyList<byte[]>?)strings ?? [],
            Content = content,
        };
    }
}
