using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Stepwise.Imaging;

/// <summary>Reads any standard PNG into an 8-bit <see cref="RasterImage"/>.</summary>
internal static class PngDecoder
{
    /// <summary>Largest decoded image accepted, in samples, so a hostile header cannot exhaust memory.</summary>
    private const long MaxSamples = 1L << 28;

    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
    [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ];

    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc)
        {
            return a;
        }

        return pb <= pc ? b : c;
    }

    public static RasterImage Decode(ReadOnlySpan<byte> data, string? source)
    {
        string where = source ?? "PNG data";
        if (data.Length < Signature.Length || !data[..Signature.Length].SequenceEqual(Signature))
        {
            throw Fail(source, $"{where}: not a PNG file (wrong signature in the first 8 bytes)");
        }

        Header? header = null;
        byte[]? palette = null;
        byte[]? transparency = null;
        var idat = new MemoryStream();
        bool sawIdat = false;
        bool sawEnd = false;
        int pos = Signature.Length;
        while (pos < data.Length)
        {
            if (data.Length - pos < 8)
            {
                throw Fail(source, $"{where}: truncated: chunk header at offset {pos} is cut off (file ends at {data.Length})");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var typeBytes = data.Slice(pos + 4, 4);
            string type = Encoding.ASCII.GetString(typeBytes);
            foreach (byte t in typeBytes)
            {
                if (!((t >= 'A' && t <= 'Z') || (t >= 'a' && t <= 'z')))
                {
                    throw Fail(source, $"{where}: corrupt chunk type at offset {pos + 4} (bytes are not letters)");
                }
            }

            if (length > int.MaxValue)
            {
                throw Fail(source, $"{where}: chunk '{type}' at offset {pos} declares an impossible length {length}");
            }

            if ((long)data.Length - pos - 12 < length)
            {
                throw Fail(source, $"{where}: truncated: chunk '{type}' at offset {pos} declares {length} data bytes but the file ends at {data.Length}");
            }

            var body = data.Slice(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            uint computed = Crc32.Compute(typeBytes, body);
            if (stored != computed)
            {
                throw Fail(source, $"{where}: bad CRC in chunk '{type}' at offset {pos} (stored 0x{stored:X8}, computed 0x{computed:X8})");
            }

            if (header is null && type != "IHDR")
            {
                throw Fail(source, $"{where}: first chunk is '{type}' at offset {pos}, expected 'IHDR'");
            }

            switch (type)
            {
                case "IHDR":
                    if (header is not null)
                    {
                        throw Fail(source, $"{where}: second IHDR chunk at offset {pos}");
                    }

                    header = ReadHeader(body, source, where, pos);
                    break;
                case "PLTE":
                    if (body.Length % 3 != 0 || body.Length == 0 || body.Length > 768)
                    {
                        throw Fail(source, $"{where}: PLTE chunk at offset {pos} has length {body.Length}, expected a multiple of 3 up to 768");
                    }

                    palette = body.ToArray();
                    break;
                case "tRNS":
                    transparency = body.ToArray();
                    break;
                case "IDAT":
                    sawIdat = true;
                    idat.Write(body);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    if (char.IsUpper(type[0]))
                    {
                        throw Fail(source, $"{where}: unsupported critical chunk '{type}' at offset {pos}");
                    }

                    // Ancillary chunks (text, gamma, time, ...) do not change the samples; skip them.
                    break;
            }

            pos += 12 + (int)length;
            if (sawEnd)
            {
                break;
            }
        }

        if (header is null)
        {
            throw Fail(source, $"{where}: truncated: no IHDR chunk after the signature");
        }

        if (!sawIdat)
        {
            throw Fail(source, $"{where}: no IDAT (image data) chunk");
        }

        if (!sawEnd)
        {
            throw Fail(source, $"{where}: truncated: no IEND chunk (file ends at {data.Length})");
        }

        var h = header.Value;
        if (h.ColourType == 3 && palette is null)
        {
            throw Fail(source, $"{where}: palette image without a PLTE chunk");
        }

        byte[] raw = Inflate(idat, h, source, where);
        return Convert(raw, h, palette, transparency, source, where);
    }

    private static Header ReadHeader(ReadOnlySpan<byte> body, string? source, string where, int pos)
    {
        if (body.Length != 13)
        {
            throw Fail(source, $"{where}: IHDR chunk at offset {pos} has length {body.Length}, expected 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        byte depth = body[8];
        byte colour = body[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw Fail(source, $"{where}: invalid image size {width}x{height} in IHDR");
        }

        bool valid = colour switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            2 or 4 or 6 => depth is 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            _ => false,
        };
        if (!valid)
        {
            throw Fail(source, $"{where}: unsupported colour type {colour} with bit depth {depth} in IHDR");
        }

        if (body[10] != 0 || body[11] != 0)
        {
            throw Fail(source, $"{where}: unknown compression method {body[10]} or filter method {body[11]} in IHDR");
        }

        if (body[12] > 1)
        {
            throw Fail(source, $"{where}: unknown interlace method {body[12]} in IHDR");
        }

        int samples = colour switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
        if ((long)width * height * 4 > MaxSamples)
        {
            throw Fail(source, $"{where}: image {width}x{height} is too large to decode");
        }

        return new Header((int)width, (int)height, depth, colour, samples, body[12] == 1);
    }

    private static long ExpectedRawLength(Header h)
    {
        if (!h.Interlaced)
        {
            return (long)h.Height * (1 + RowBytes(h, h.Width));
        }

        long total = 0;
        foreach (var (x0, y0, dx, dy) in Adam7)
        {
            int w = PassSize(h.Width, x0, dx);
            int rows = PassSize(h.Height, y0, dy);
            if (w > 0 && rows > 0)
            {
                total += (long)rows * (1 + RowBytes(h, w));
            }
        }

        return total;
    }

    private static int RowBytes(Header h, int width) => (int)((((long)width * h.Samples * h.Depth) + 7) / 8);

    private static int PassSize(int size, int start, int step) => size <= start ? 0 : ((size - start + step - 1) / step);

    private static byte[] Inflate(MemoryStream idat, Header h, string? source, string where)
    {
        long expected = ExpectedRawLength(h);
        var raw = new byte[expected];
        idat.Position = 0;
        int read = 0;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            while (read < raw.Length)
            {
                int n = zlib.Read(raw, read, raw.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (InvalidDataException ex)
        {
            throw Fail(source, $"{where}: corrupt compressed image data in IDAT ({ex.Message})", ex);
        }

        if (read < raw.Length)
        {
            throw Fail(source, $"{where}: truncated image data: {read} of {expected} bytes after decompression");
        }

        return raw;
    }

    private static RasterImage Convert(byte[] raw, Header h, byte[]? palette, byte[]? transparency, string? source, string where)
    {
        bool alpha = h.ColourType is 4 or 6 || transparency is not null;
        int channels = h.ColourType switch
        {
            0 => alpha ? 4 : 1,
            2 or 3 => alpha ? 4 : 3,
            _ => 4,
        };
        if (h.ColourType is 4 or 6)
        {
            transparency = null;
        }

        var image = new RasterImage(h.Width, h.Height, channels);
        int bpp = Math.Max(1, h.Samples * h.Depth / 8);
        int offset = 0;
        var passes = h.Interlaced ? Adam7 : [(0, 0, 1, 1)];
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int width = PassSize(h.Width, x0, dx);
            int rows = PassSize(h.Height, y0, dy);
            if (width == 0 || rows == 0)
            {
                continue;
            }

            int rowBytes = RowBytes(h, width);
            for (int r = 0; r < rows; r++)
            {
                int start = offset + (r * (rowBytes + 1));
                byte filter = raw[start];
                var row = raw.AsSpan(start + 1, rowBytes);
                var prior = r == 0 ? Span<byte>.Empty : raw.AsSpan(start - rowBytes, rowBytes);
                Unfilter(filter, row, prior, bpp, source, where, y0 + (r * dy));
                WriteRow(image, row, h, palette, transparency, y0 + (r * dy), x0, dx, width, source, where);
            }

            offset += rows * (rowBytes + 1);
        }

        return image;
    }

    private static void Unfilter(byte filter, Span<byte> row, Span<byte> prior, int bpp, string? source, string where, int y)
    {
        bool hasPrior = !prior.IsEmpty;
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }

                break;
            case 2:
                if (hasPrior)
                {
                    for (int i = 0; i < row.Length; i++)
                    {
                        row[i] += prior[i];
                    }
                }

                break;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    int b = hasPrior ? prior[i] : 0;
                    row[i] += (byte)((a + b) >> 1);
                }

                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    int b = hasPrior ? prior[i] : 0;
                    int c = hasPrior && i >= bpp ? prior[i - bpp] : 0;
                    row[i] += (byte)Paeth(a, b, c);
                }

                break;
            default:
                throw Fail(source, $"{where}: invalid filter type {filter} on image row {y}");
        }
    }

    private static void WriteRow(
        RasterImage image, ReadOnlySpan<byte> row, Header h, byte[]? palette, byte[]? transparency,
        int y, int x0, int dx, int width, string? source, string where)
    {
        var pixels = image.Pixels;
        int channels = image.Channels;
        int depth = h.Depth;

        // Fast path for the common 8-bit, same-layout case.
        if (depth == 8 && h.ColourType != 3 && transparency is null && h.ColourType != 4 && dx == 1)
        {
            row.CopyTo(pixels.AsSpan(y * h.Width * channels, h.Width * channels));
            return;
        }

        int maxValue = (1 << depth) - 1;
        for (int i = 0; i < width; i++)
        {
            int x = x0 + (i * dx);
            int o = ((y * h.Width) + x) * channels;
            switch (h.ColourType)
            {
                case 0:
                {
                    int v = Sample(row, i, depth);
                    byte g = Scale(v, depth, maxValue);
                    if (channels == 1)
                    {
                        pixels[o] = g;
                    }
                    else
                    {
                        pixels[o] = pixels[o + 1] = pixels[o + 2] = g;
                        bool clear = transparency!.Length >= 2 && v == BinaryPrimitives.ReadUInt16BigEndian(transparency);
                        pixels[o + 3] = clear ? (byte)0 : (byte)255;
                    }

                    break;
                }

                case 2:
                {
                    int r = Sample(row, i * 3, depth);
                    int g = Sample(row, (i * 3) + 1, depth);
                    int b = Sample(row, (i * 3) + 2, depth);
                    pixels[o] = Scale(r, depth, maxValue);
                    pixels[o + 1] = Scale(g, depth, maxValue);
                    pixels[o + 2] = Scale(b, depth, maxValue);
                    if (channels == 4)
                    {
                        bool clear = transparency!.Length >= 6
                            && r == BinaryPrimitives.ReadUInt16BigEndian(transparency)
                            && g == BinaryPrimitives.ReadUInt16BigEndian(transparency.AsSpan(2))
                            && b == BinaryPrimitives.ReadUInt16BigEndian(transparency.AsSpan(4));
                        pixels[o + 3] = clear ? (byte)0 : (byte)255;
                    }

                    break;
                }

                case 3:
                {
                    int index = Sample(row, i, depth);
                    if (index * 3 >= palette!.Length)
                    {
                        throw Fail(source, $"{where}: pixel ({x}, {y}) uses palette index {index} but PLTE has {palette.Length / 3} entries");
                    }

                    pixels[o] = palette[index * 3];
                    pixels[o + 1] = palette[(index * 3) + 1];
                    pixels[o + 2] = palette[(index * 3) + 2];
                    if (channels == 4)
                    {
                        pixels[o + 3] = index < transparency!.Length ? transparency[index] : (byte)255;
                    }

                    break;
                }

                case 4:
                {
                    byte g = Scale(Sample(row, i * 2, depth), depth, maxValue);
                    pixels[o] = pixels[o + 1] = pixels[o + 2] = g;
                    pixels[o + 3] = Scale(Sample(row, (i * 2) + 1, depth), depth, maxValue);
                    break;
                }

                default:
                    for (int c = 0; c < 4; c++)
                    {
                        pixels[o + c] = Scale(Sample(row, (i * 4) + c, depth), depth, maxValue);
                    }

                    break;
            }
        }
    }

    private static int Sample(ReadOnlySpan<byte> row, int index, int depth)
    {
        switch (depth)
        {
            case 8:
                return row[index];
            case 16:
                return (row[index * 2] << 8) | row[(index * 2) + 1];
            default:
                int bit = index * depth;
                int shift = 8 - depth - (bit & 7);
                return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
        }
    }

    private static byte Scale(int value, int depth, int maxValue) => depth switch
    {
        8 => (byte)value,
        16 => (byte)(((value * 255) + 32767) / 65535),
        _ => (byte)(value * 255 / maxValue),
    };

    private static PngFormatException Fail(string? source, string message, Exception? inner = null) =>
        inner is null ? new PngFormatException(message) { SourceName = source } : new PngFormatException(message, inner) { SourceName = source };

    private readonly record struct Header(int Width, int Height, byte Depth, byte ColourType, int Samples, bool Interlaced);
}
