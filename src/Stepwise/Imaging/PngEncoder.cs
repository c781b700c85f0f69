using System.Buffers.Binary;
using System.IO.Compression;

namespace Stepwise.Imaging;

/// <summary>Writes 8-bit, non-interlaced PNG with a per-row adaptive filter choice.</summary>
internal static class PngEncoder
{
    private const int MaxIdatChunk = 1 << 20;

    public static byte[] Encode(RasterImage image)
    {
        int bpp = image.Channels;
        int stride = image.Width * bpp;
        byte colourType = image.Channels switch { 1 => 0, 3 => 2, _ => 6 };

        var filtered = new byte[(stride + 1) * image.Height];
        var candidate = new byte[stride];
        var best = new byte[stride];
        var pixels = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            var row = new ReadOnlySpan<byte>(pixels, y * stride, stride);
            var prior = y == 0 ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(pixels, (y - 1) * stride, stride);
            long bestScore = long.MaxValue;
            byte bestFilter = 0;

            // The usual heuristic: pick the filter whose output has the smallest sum of |signed byte|.
            for (byte filter = 0; filter <= 4; filter++)
            {
                long score = Apply(filter, row, prior, bpp, candidate);
                if (score < bestScore)
                {
                    bestScore = score;
                    bestFilter = filter;
                    candidate.CopyTo(best, 0);
                }
            }

            int offset = y * (stride + 1);
            filtered[offset] = bestFilter;
            best.CopyTo(filtered, offset + 1);
        }

        byte[] compressed;
        using (var buffer = new MemoryStream())
        {
            using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(filtered);
            }

            compressed = buffer.ToArray();
        }

        using var output = new MemoryStream(compressed.Length + 64);
        output.Write(PngDecoder.Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;
        header[9] = colourType;
        header[10] = 0;
        header[11] = 0;
        header[12] = 0;
        WriteChunk(output, "IHDR"u8, header);
        for (int start = 0; start < compressed.Length; start += MaxIdatChunk)
        {
            WriteChunk(output, "IDAT"u8, compressed.AsSpan(start, Math.Min(MaxIdatChunk, compressed.Length - start)));
        }

        if (compressed.Length == 0)
        {
            WriteChunk(output, "IDAT"u8, []);
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static long Apply(byte filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, byte[] output)
    {
        long score = 0;
        bool hasPrior = !prior.IsEmpty;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = hasPrior ? prior[i] : 0;
            int c = hasPrior && i >= bpp ? prior[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => PngDecoder.Paeth(a, b, c),
            };
            byte value = (byte)(row[i] - predictor);
            output[i] = value;
            int signed = (sbyte)value;
            score += signed < 0 ? -signed : signed;
        }

        return score;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(type, data));
        output.Write(word);
    }
}
