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
        uint hash = 2166136261;
        foreach (byte b in utf8)
        {
            hash = (hash ^ b) * 16777619;
        }

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
