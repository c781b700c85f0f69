using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stepwise.Dvc.Internal;

/// <summary>Normalises user values into the plain tree the writers understand.</summary>
internal static class LiveValues
{
    /// <summary>
    /// Copies a parameter value into ordered dictionaries, lists and scalars. Returns false with the
    /// path of the first value that cannot be represented (e.g. <c>model.layers[2]</c>).
    /// </summary>
    public static bool TryNormalize(object? value, string path, out object? normalized, out string? badPath)
    {
        badPath = null;
        normalized = null;
        switch (value)
        {
            case null or string or bool or double or float or BigInteger:
                normalized = value;
                return true;
            case decimal m:
                normalized = (double)m;
                return true;
            case char c:
                normalized = c.ToString();
                return true;
            case Half h:
                normalized = (float)h;
                return true;
            case IDictionary map:
                var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in map)
                {
                    var key = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    if (!TryNormalize(entry.Value, path + "." + key, out var item, out badPath))
                    {
                        return false;
                    }

                    result[key] = item;
                }

                normalized = result;
                return true;
            case ITuple tuple:
                var tupleItems = new List<object?>(tuple.Length);
                for (var i = 0; i < tuple.Length; i++)
                {
                    if (!TryNormalize(tuple[i], Index(path, i), out var item, out badPath))
                    {
                        return false;
                    }

                    tupleItems.Add(item);
                }

                normalized = tupleItems;
                return true;
            case IEnumerable items:
                if (IsKeyValueSequence(value, out var pairs))
                {
                    var mapped = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (key, item) in pairs)
                    {
                        if (!TryNormalize(item, path + "." + key, out var n, out badPath))
                        {
                            return false;
                        }

                        mapped[key] = n;
                    }

                    normalized = mapped;
                    return true;
                }

                var list = new List<object?>();
                var index = 0;
                foreach (var item in items)
                {
                    if (!TryNormalize(item, Index(path, index), out var n, out badPath))
                    {
                        return false;
                    }

                    list.Add(n);
                    index++;
                }

                normalized = list;
                return true;
            default:
                if (Formatting.PyFormat.IsInteger(value))
                {
                    normalized = value;
                    return true;
                }

                badPath = path + "' (type " + value.GetType().FullName + ")";
                return false;
        }
    }

    private static string Index(string path, int i) => path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    private static bool IsKeyValueSequence(object value, out IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        if (value is IEnumerable<KeyValuePair<string, object?>> typed)
        {
            pairs = typed;
            return true;
        }

        pairs = [];
        return false;
    }

    /// <summary>Deep copy of a normalised tree (so callers cannot mutate stored state).</summary>
    public static object? Clone(object? value) => value switch
    {
        IDictionary<string, object?> map => CloneMap(map),
        List<object?> list => list.Select(Clone).ToList(),
        _ => value,
    };

    private static OrderedDictionary<string, object?> CloneMap(IDictionary<string, object?> map)
    {
        var copy = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, item) in map)
        {
            copy[key] = Clone(item);
        }

        return copy;
    }
}
