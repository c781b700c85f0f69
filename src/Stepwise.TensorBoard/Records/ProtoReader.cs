using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Stepwise.TensorBoard.Records;

/// <summary>A minimal protobuf decoder over a span; malformed input raises <see cref="InvalidDataException"/> with the offset.</summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly bool End => _position >= _data.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadTag(out int field, out WireType wire)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            wire = 0;
            return false;
        }

        ulong key = ReadVarint();
        field = (int)(key >> 3);
        wire = (WireType)(key & 7);
        if (field <= 0)
        {
            throw Malformed("field number 0");
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if (_position < _data.Length && _data[_position] < 0x80)
        {
            return _data[_position++];
        }

        return ReadVarintSlow();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64() => (long)ReadVarint();

    public int ReadInt32() => (int)ReadVarint();

    public bool ReadBool() => ReadVarint() != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ReadDouble()
    {
        if (_position + 8 > _data.Length)
        {
            throw Malformed("truncated 64-bit field");
        }

        double v = BinaryPrimitives.ReadDoubleLittleEndian(_data[_position..]);
        _position += 8;
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ReadFloat()
    {
        if (_position + 4 > _data.Length)
        {
            throw Malformed("truncated 32-bit field");
        }

        float v = BinaryPrimitives.ReadSingleLittleEndian(_data[_position..]);
        _position += 4;
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Malformed($"length {length} runs past the end of the message");
        }

        var span = _data.Slice(_position, (int)length);
        _position += (int)length;
        return span;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Reads a double field given as fixed64, or a packed run of them, appending to the list.</summary>
    public void ReadDoubles(WireType wire, List<double> into)
    {
        if (wire == WireType.Fixed64)
        {
            into.Add(ReadDouble());
            return;
        }

        var bytes = ReadBytes();
        for (int i = 0; i + 8 <= bytes.Length; i += 8)
        {
            into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
        }
    }

    /// <summary>Reads a float field given as fixed32, or a packed run of them.</summary>
    public void ReadFloats(WireType wire, List<float> into)
    {
        if (wire == WireType.Fixed32)
        {
            into.Add(ReadFloat());
            return;
        }

        var bytes = ReadBytes();
        for (int i = 0; i + 4 <= bytes.Length; i += 4)
        {
            into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
        }
    }

    /// <summary>Reads a varint field given singly or packed.</summary>
    public void ReadVarints(WireType wire, List<long> into)
    {
        if (wire == WireType.Varint)
        {
            into.Add(ReadInt64());
            return;
        }

        var inner = new ProtoReader(ReadBytes());
        while (!inner.End)
        {
            into.Add(inner.ReadInt64());
        }
    }

    public void Skip(WireType wire)
    {
        switch (wire)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Advance(8);
                break;
            case WireType.LengthDelimited:
                ReadBytes();
                break;
            case WireType.Fixed32:
                Advance(4);
                break;
            default:
                throw Malformed($"unsupported wire type {(int)wire}");
        }
    }

    private void Advance(int count)
    {
        if (_position + count > _data.Length)
        {
            throw Malformed("truncated field");
        }

        _position += count;
    }

    private ulong ReadVarintSlow()
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Malformed("truncated varint");
            }

            byte b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed("varint longer than 10 bytes");
    }

    private readonly InvalidDataException Malformed(string what) =>
        new($"malformed protobuf at byte {_position} of the message: {what}");
}
