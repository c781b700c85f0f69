using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Stepwise.Tests.Imaging;

/// <summary>
/// Builds PNG files for decoder tests independently of the library encoder: any colour type, bit
/// depth, filter and interlace, from raw sample values; and checks chunk structure of encoder output.
/// </summary>
internal static class PngTestFiles
{
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
    [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ];

    public static int SamplesPerPixel(int colourType) => colourType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };

    /// <summary>Writes a PNG whose pixel (x, y) has raw samples samples[(y*w+x)*spp + i] at the given depth.</summary>
    public static byte[] Build(
        int width, int height, int colourType, int depth, int[] samples,
        bool interlaced = false, byte[]? palette = null, byte[]? transparency = null, bool cycleFilters = true,
        IEnumerable<(string Type, byte[] Data)>? extraChunks = null)
    {
        int spp = SamplesPerPixel(colourType);
        var raw = new MemoryStream();
        var passes = interlaced ? Adam7 : [(0, 0, 1, 1)];
        int filterCounter = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int pw = width <= x0 ? 0 : (width - x0 + dx - 1) / dx;
            int ph = height <= y0 ? 0 : (height - y0 + dy - 1) / dy;
            if (pw == 0 || ph == 0)
            {
                continue;
            }

            int rowBytes = ((pw * spp * depth) + 7) / 8;
            int bpp = Math.Max(1, spp * depth / 8);
            byte[] prior = new byte[rowBytes];
            for (int r = 0; r < ph; r++)
            {
                var row = new byte[rowBytes];
                int bit = 0;
                for (int i = 0; i < pw; i++)
                {
                    int x = x0 + (i * dx);
                    int y = y0 + (r * dy);
                    for (int s = 0; s < spp; s++)
                    {
                        int v = samples[(((y * width) + x) * spp) + s];
                        if (depth == 16)
                        {
                            row[bit / 8] = (byte)(v >> 8);
                            row[(bit / 8) + 1] = (byte)v;
                        }
                        else if (depth == 8)
                        {
                            row[bit / 8] = (byte)v;
                        }
                        else
                        {
                            row[bit / 8] |= (byte)(v << (8 - depth - (bit % 8)));
                        }

                        bit += depth;
                    }
                }

                byte filter = cycleFilters ? (byte)(filterCounter++ % 5) : (byte)0;
                raw.WriteByte(filter);
                raw.Write(Filter(filter, row, r == 0 ? new byte[rowBytes] : prior, bpp));
                prior = row;
            }
        }

        var output = new MemoryStream();
        output.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)depth;
        header[9] = (byte)colourType;
        header[12] = interlaced ? (byte)1 : (byte)0;
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "tEXt", Encoding.ASCII.GetBytes("Comment\0decoder test"));
        if (palette is not null)
        {
            WriteChunk(output, "PLTE", palette);
        }

        if (transparency is not null)
        {
            WriteChunk(output, "tRNS", transparency);
        }

        foreach (var (type, data) in extraChunks ?? [])
        {
            WriteChunk(output, type, data);
        }

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }

        // Split the data over two IDAT chunks: decoders must concatenate them.
        var bytes = compressed.ToArray();
        int half = bytes.Length / 2;
        WriteChunk(output, "IDAT", bytes[..half]);
        WriteChunk(output, "IDAT", bytes[half..]);
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    public static void WriteChunk(Stream output, string type, byte[] data)
    {
        var word = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc([.. typeBytes, .. data]));
        output.Write(word);
    }

    /// <summary>Bit-at-a-time CRC-32 (no table), a second implementation to check the library's.</summary>
    public static uint Crc(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>Lists the chunks of a PNG, checking each CRC.</summary>
    public static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        int pos = 8;
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length).ToArray();
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(Crc([.. Encoding.ASCII.GetBytes(type), .. data]), stored);
            chunks.Add((type, data));
            pos += 12 + length;
        }

        return chunks;
    }

    private static byte[] Filter(byte filter, byte[] row, byte[] prior, int bpp)
    {
        var output = new byte[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = prior[i];
            int c = i >= bpp ? prior[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => PaethPredictor(a, b, c),
            };
            output[i] = unchecked((byte)(row[i] - predictor));
        }

        return output;
    }

    private static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
