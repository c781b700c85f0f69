using System.Text;

namespace Stepwise.TensorBoard.Reading;

/// <summary>Maps UTF-8 tag bytes to strings without allocating for tags seen before (files repeat a few tags).</summary>
internal sealed class TagCache
{
    private const int Size = 256;
    private readonly byte[]?[] _keys = new byte[Size][];
    private readonly string?[] _values = new string[Size];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        // Length and the first and last bytes spread typical tag sets well; equal slots are compared in full.
        uint hash = (uint)utf8.Length;
        if (!utf8.IsEmpty)
        {
            hash = (hash * 31) + utf8[0];
            hash = (hash * 31) + utf8[^1];
            hash = (hash * 31) + utf8[utf8.Length / 2];
        }

        hash ^= hash >> 7;
        int slot = (int)(hash & (Size - 1));
        var key = _keys[slot];
        if (key is not null && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        string value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }
}
