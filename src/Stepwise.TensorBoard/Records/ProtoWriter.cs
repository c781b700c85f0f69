using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Stepwise.TensorBoard.Records;

/// <summary>
/// A minimal protobuf encoder over a growable buffer. Fields are written in the order the caller
/// gives (callers follow field-number order, as protobuf serializers do). A nested message reserves
/// one length byte and moves its body when the length needs more, so small messages cost no copy.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer;
    private int _position;

    public ProtoWriter(int capacity = 256)
    {
        _buffer = new byte[capacity];
    }

    public int Length => _position;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public byte[] ToArray() => _buffer.AsSpan(0, _position).ToArray();

    public void Reset() => _position = 0;

    public static int VarintSize(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public void Tag(int field, WireType wire) => Varint(((ulong)field << 3) | (uint)wire);

    public void Varint(ulong value)
    {
        Ensure(10);
        _position += WriteVarint(_buffer.AsSpan(_position), value);
    }

    public void Fixed64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void Fixed32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    /// <summary>A double field, omitted when 0 (proto3 default).</summary>
    public void Double(int field, double value)
    {
        if (BitConverter.DoubleToInt64Bits(value) != 0)
        {
            Tag(field, WireType.Fixed64);
            Fixed64((ulong)BitConverter.DoubleToInt64Bits(value));
        }
    }

    /// <summary>A float field, omitted when 0 (proto3 default).</summary>
    public void Float(int field, float value)
    {
        if (BitConverter.SingleToInt32Bits(value) != 0)
        {
            Tag(field, WireType.Fixed32);
            Fixed32((uint)BitConverter.SingleToInt32Bits(value));
        }
    }

    /// <summary>A float field written even when 0 (a member of a oneof).</summary>
    public void FloatAlways(int field, float value)
    {
        Tag(field, WireType.Fixed32);
        Fixed32((uint)BitConverter.SingleToInt32Bits(value));
    }

    /// <summary>A double field written even when 0 (a member of a oneof).</summary>
    public void DoubleAlways(int field, double value)
    {
        Tag(field, WireType.Fixed64);
        Fixed64((ulong)BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>An int64/int32/enum/bool field, omitted when 0. Negative values take 10 bytes, as protobuf encodes them.</summary>
    public void Int64(int field, long value)
    {
        if (value != 0)
        {
            Tag(field, WireType.Varint);
            Varint((ulong)value);
        }
    }

    /// <summary>An integer field written even when 0 (a member of a oneof).</summary>
    public void Int64Always(int field, long value)
    {
        Tag(field, WireType.Varint);
        Varint((ulong)value);
    }

    public void Bool(int field, bool value) => Int64(field, value ? 1 : 0);

    /// <summary>A string field, omitted when empty.</summary>
    public void String(int field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            StringAlways(field, value);
        }
    }

    /// <summary>A string field written even when empty (a repeated element or a oneof member).</summary>
    public void StringAlways(int field, string value)
    {
        Tag(field, WireType.LengthDelimited);
        int count = Encoding.UTF8.GetByteCount(value);
        Varint((ulong)count);
        Ensure(count);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    /// <summary>A bytes field, omitted when empty.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty)
        {
            BytesAlways(field, value);
        }
    }

    /// <summary>A bytes field written even when empty.</summary>
    public void BytesAlways(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    /// <summary>Packed repeated doubles, omitted when empty.</summary>
    public void PackedDoubles(int field, ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        Tag(field, WireType.LengthDelimited);
        Varint((ulong)values.Length * 8);
        Ensure(values.Length * 8);
        foreach (double v in values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_position), v);
            _position += 8;
        }
    }

    /// <summary>Packed repeated floats, omitted when empty.</summary>
    public void PackedFloats(int field, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        Tag(field, WireType.LengthDelimited);
        Varint((ulong)values.Length * 4);
        Ensure(values.Length * 4);
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_position), v);
            _position += 4;
        }
    }

    /// <summary>
    /// Starts an embedded message (written even when it stays empty). Returns a bookmark for
    /// <see cref="EndMessage"/>.
    /// </summary>
    public int BeginMessage(int field)
    {
        Tag(field, WireType.LengthDelimited);
        Ensure(1);
        _position++;
        return _position;
    }

    public void EndMessage(int bookmark)
    {
        int length = _position - bookmark;
        int size = VarintSize((ulong)length);
        if (size > 1)
        {
            Ensure(size - 1);
            Buffer.BlockCopy(_buffer, bookmark, _buffer, bookmark + size - 1, length);
            _position += size - 1;
        }

        WriteVarint(_buffer.AsSpan(bookmark - 1), (ulong)length);
    }

    /// <summary>Appends raw, already encoded bytes.</summary>
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    private void Ensure(int extra)
    {
        if (_position + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _position + extra));
        }
    }
}
