using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stepwise.Tasks;

namespace Stepwise.Serialization;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// (tensor name → dtype, shape, data offsets; optional <c>__metadata__</c> string map) padded with
/// spaces to 8 bytes, then the raw little-endian tensor bytes. Files written here load with
/// Python's <c>safetensors</c>.
/// </summary>
public sealed class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private SafeTensorsFile(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<NamedTensor> tensors)
    {
        Metadata = metadata;
        Tensors = tensors;
    }

    /// <summary>The <c>__metadata__</c> string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors in file order, converted to float.</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    /// <summary>The tensor with the given name, or null.</summary>
    public NamedTensor? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);

    /// <summary>Serialises float32 tensors and metadata to bytes.</summary>
    public static byte[] Serialize(IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata)
            {
                meta[k] = v;
            }

            header[MetadataKey] = meta;
        }

        long offset = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in list)
        {
            if (!names.Add(t.Name) || t.Name == MetadataKey)
            {
                throw new ArgumentException($"Duplicate or reserved tensor name '{t.Name}'.", nameof(tensors));
            }

            long count = t.Shape.Aggregate(1L, (a, d) => a * d);
            if (count != t.Data.Length)
            {
                throw new ArgumentException($"Tensor '{t.Name}' has shape [{string.Join(", ", t.Shape)}] but {t.Data.Length} values.", nameof(tensors));
            }

            long end = offset + (count * 4);
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray([.. t.Shape.Select(d => (JsonNode?)JsonValue.Create(d))]),
                ["data_offsets"] = new JsonArray(offset, end),
            };
            offset = end;
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        int pos = 8 + padded;
        foreach (var t in list)
        {
            var src = MemoryMarshal.AsBytes(t.Data.AsSpan());
            src.CopyTo(bytes.AsSpan(pos));
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < t.Data.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(pos + (i * 4)), t.Data[i]);
                }
            }

            pos += src.Length;
        }

        return bytes;
    }

    /// <summary>Writes a file through a temporary file and rename, so an existing file is never half-overwritten.</summary>
    public static void Write(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = Serialize(tensors, metadata);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a file; throws <see cref="SafeTensorsException"/> naming the file and problem.</summary>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new SafeTensorsException($"{path}: file not found.");
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses safetensors bytes; <paramref name="source"/> names the input in errors.</summary>
    public static SafeTensorsFile Parse(ReadOnlySpan<byte> data, string source = "<bytes>")
    {
        if (data.Length < 8)
        {
            throw new SafeTensorsException($"{source}: file is {data.Length} bytes, too short for the 8-byte header length.");
        }

        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (headerLen > (ulong)MaxHeaderBytes || headerLen > (ulong)(data.Length - 8))
        {
            throw new SafeTensorsException($"{source}: header length {headerLen} at offset 0 exceeds the file ({data.Length} bytes).");
        }

        JsonObject header;
        try
        {
            header = JsonNode.Parse(data.Slice(8, (int)headerLen)) as JsonObject
                ?? throw new SafeTensorsException($"{source}: header at offset 8 is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsException($"{source}: header at offset 8 is not valid JSON ({ex.Message}).", ex);
        }

        var body = data[(8 + (int)headerLen)..];
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<(string Name, string Dtype, int[] Shape, long Begin, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey)
            {
                if (node is not JsonObject meta)
                {
                    throw new SafeTensorsException($"{source}: __metadata__ is not an object.");
                }

                foreach (var (k, v) in meta)
                {
                    metadata[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s)
                        ? s
                        : throw new SafeTensorsException($"{source}: __metadata__ value '{k}' is not a string.");
                }

                continue;
            }

            entries.Add(ParseEntry(source, name, node));
        }

        // The data buffer must be covered exactly: sorted offsets contiguous, no holes or overlaps.
        long expected = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin != expected)
            {
                throw new SafeTensorsException($"{source}: tensor '{e.Name}' starts at data offset {e.Begin}, expected {expected} (hole or overlap).");
            }

            expected = e.End;
        }

        if (expected != body.Length)
        {
            throw new SafeTensorsException($"{source}: tensors cover {expected} data bytes but the file holds {body.Length} (truncated or trailing bytes).");
        }

        var tensors = new List<NamedTensor>(entries.Count);
        foreach (var e in entries)
        {
            tensors.Add(new NamedTensor(e.Name, e.Shape, Convert(body[(int)e.Begin..(int)e.End], e.Dtype)));
        }

        return new SafeTensorsFile(metadata, tensors);
    }

    private static (string Name, string Dtype, int[] Shape, long Begin, long End) ParseEntry(string source, string name, JsonNode? node)
    {
        if (node is not JsonObject o)
        {
            throw new SafeTensorsException($"{source}: tensor '{name}' header is not an object.");
        }

        string dtype = o["dtype"] is JsonValue dv && dv.TryGetValue<string>(out var d) ? d
            : throw new SafeTensorsException($"{source}: tensor '{name}' has no dtype.");
        int size = DtypeSize(dtype) ?? throw new SafeTensorsException($"{source}: tensor '{name}' has unsupported dtype '{dtype}' (F32, F64, F16, BF16 are read).");
        if (o["shape"] is not JsonArray shapeNode || o["data_offsets"] is not JsonArray offs || offs.Count != 2)
        {
            throw new SafeTensorsException($"{source}: tensor '{name}' needs 'shape' and two 'data_offsets'.");
        }

        int[] shape;
        long begin, end;
        try
        {
            shape = [.. shapeNode.Select(n => n!.GetValue<int>())];
            begin = offs[0]!.GetValue<long>();
            end = offs[1]!.GetValue<long>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new SafeTensorsException($"{source}: tensor '{name}' has a non-integer shape or offset.", ex);
        }

        long count = shape.Aggregate(1L, (a, x) => x < 0 ? -1 : a * x);
        if (count < 0 || begin < 0 || end < begin || end - begin != count * size)
        {
            throw new SafeTensorsException($"{source}: tensor '{name}' offsets [{begin}, {end}] do not match shape [{string.Join(", ", shape)}] of {dtype}.");
        }

        return (name, dtype, shape, begin, end);
    }

    private static int? DtypeSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "F64" => 8,
        "F16" or "BF16" => 2,
        _ => null,
    };

    private static float[] Convert(ReadOnlySpan<byte> bytes, string dtype)
    {
        switch (dtype)
        {
            case "F32":
            {
                var result = new float[bytes.Length / 4];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }

                return result;
            }

            case "F64":
            {
                var result = new float[bytes.Length / 8];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
                }

                return result;
            }

            case "F16":
            {
                var result = new float[bytes.Length / 2];
                for (int i = 0; i < result.Length; i++)
                {
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                }

                return result;
            }

            default:
            {
                var result = new float[bytes.Length / 2];
                for (int i = 0; i < result.Length; i++)
                {
                    // bfloat16 is the top half of a float32.
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                }

                return result;
            }
        }
    }
}
