using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Stepwise.Serialization;
using Stepwise.Tasks;

namespace Stepwise.Tests.Serialization;

public class SafeTensorsFileTests
{
    private static readonly NamedTensor[] Sample =
    [
        new("a.weight", [2, 3], [1, 2, 3, 4, 5, 6]),
        new("a.bias", [2], [-1.5f, float.Epsilon]),
    ];

    [Fact]
    public void Written_files_read_back_with_tensors_metadata_and_the_documented_layout()
    {
        using var tmp = new TempDirectory();
        string path = tmp.Combine("m.safetensors");
        SafeTensorsFile.Write(path, Sample, new Dictionary<string, string> { ["epoch"] = "3", ["args"] = "{\"lr0\":0.01}" });
        var bytes = File.ReadAllBytes(path);
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLen % 8);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLen).TrimEnd(' '))!.AsObject();
        Assert.Equal("F32", header["a.weight"]!["dtype"]!.GetValue<string>());
        Assert.Equal("[0,24]", header["a.weight"]!["data_offsets"]!.ToJsonString());
        Assert.Equal("[24,32]", header["a.bias"]!["data_offsets"]!.ToJsonString());
        Assert.Equal("3", header["__metadata__"]!["epoch"]!.GetValue<string>());
        Assert.Equal(8 + (int)headerLen + 32, bytes.Length);

        var file = SafeTensorsFile.Read(path);
        Assert.Equal("{\"lr0\":0.01}", file.Metadata["args"]);
        Assert.Equal(Sample[0].Data, file.Find("a.weight")!.Data);
        Assert.Equal([2, 3], file.Find("a.weight")!.Shape);
        Assert.Equal(Sample[1].Data, file.Find("a.bias")!.Data);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Half_bfloat16_and_double_tensors_are_read_as_float()
    {
        string json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]}}";
        var body = new byte[12];
        BinaryPrimitives.WriteHalfLittleEndian(body, (Half)1.5f);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)(BitConverter.SingleToInt32Bits(-2f) >> 16));
        BinaryPrimitives.WriteDoubleLittleEndian(body.AsSpan(4), 0.25);
        var file = SafeTensorsFile.Parse(Build(json, body));
        Assert.Equal(1.5f, file.Find("h")!.Data[0]);
        Assert.Equal(-2f, file.Find("b")!.Data[0]);
        Assert.Equal(0.25f, file.Find("d")!.Data[0]);
    }

    [Theory]
    [InlineData("short", "too short")]
    [InlineData("huge-header", "exceeds the file")]
    [InlineData("not-json", "not valid JSON")]
    [InlineData("truncated", "truncated or trailing bytes")]
    [InlineData("hole", "hole or overlap")]
    [InlineData("bad-dtype", "unsupported dtype 'Q8'")]
    [InlineData("bad-shape", "do not match shape")]
    [InlineData("bad-metadata", "__metadata__ value 'n' is not a string")]
    public void Broken_files_are_rejected_naming_the_file_and_the_problem(string kind, string problem)
    {
        byte[] data = kind switch
        {
            "short" => [1, 2, 3],
            "huge-header" => BitConverter.GetBytes(1_000_000UL),
            "not-json" => Build("{oops", []),
            "truncated" => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]),
            "hole" => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
            "bad-dtype" => Build("{\"x\":{\"dtype\":\"Q8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]),
            "bad-shape" => Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
            _ => Build("{\"__metadata__\":{\"n\":1}}", []),
        };
        var ex = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Parse(data, "model.safetensors"));
        Assert.StartsWith("model.safetensors: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named_in_the_error()
    {
        var ex = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Read("no/such/file.safetensors"));
        Assert.Contains("no/such/file.safetensors: file not found", ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Build(string json, byte[] body)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + body.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        body.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }
}
