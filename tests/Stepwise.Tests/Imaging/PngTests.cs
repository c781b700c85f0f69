using Stepwise.Imaging;

namespace Stepwise.Tests.Imaging;

public class PngTests
{
    public static TheoryData<int, int, bool> ColourTypesAndDepths()
    {
        var data = new TheoryData<int, int, bool>();
        (int, int)[] combos = [(0, 1), (0, 2), (0, 4), (0, 8), (0, 16), (2, 8), (2, 16), (3, 1), (3, 2), (3, 4), (3, 8), (4, 8), (4, 16), (6, 8), (6, 16)];
        foreach (var (colour, depth) in combos)
        {
            data.Add(colour, depth, false);
            data.Add(colour, depth, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ColourTypesAndDepths))]
    public void Decode_reads_every_colour_type_and_bit_depth_interlaced_or_not(int colourType, int depth, bool interlaced)
    {
        // Odd sizes exercise partial bytes at row ends and the small Adam7 passes.
        const int Width = 13;
        const int Height = 11;
        var random = new Random((colourType * 100) + depth + (interlaced ? 7 : 0));
        int spp = PngTestFiles.SamplesPerPixel(colourType);
        int max = (1 << depth) - 1;
        byte[]? palette = null;
        if (colourType == 3)
        {
            palette = new byte[3 << depth];
            random.NextBytes(palette);
        }

        var samples = new int[Width * Height * spp];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = random.Next(max + 1);
        }

        var png = PngTestFiles.Build(Width, Height, colourType, depth, samples, interlaced, palette);
        var image = Png.Decode(png, "matrix.png");

        int expectedChannels = colourType switch { 0 => 1, 2 or 3 => 3, _ => 4 };
        Assert.Equal(Width, image.Width);
        Assert.Equal(Height, image.Height);
        Assert.Equal(expectedChannels, image.Channels);
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                int p = (y * Width) + x;
                byte[] expected = colourType switch
                {
                    0 => [To8(samples[p], depth)],
                    2 => [To8(samples[p * 3], depth), To8(samples[(p * 3) + 1], depth), To8(samples[(p * 3) + 2], depth)],
                    3 => [palette![samples[p] * 3], palette[(samples[p] * 3) + 1], palette[(samples[p] * 3) + 2]],
                    4 => [To8(samples[p * 2], depth), To8(samples[p * 2], depth), To8(samples[p * 2], depth), To8(samples[(p * 2) + 1], depth)],
                    _ => [To8(samples[p * 4], depth), To8(samples[(p * 4) + 1], depth), To8(samples[(p * 4) + 2], depth), To8(samples[(p * 4) + 3], depth)],
                };
                for (int c = 0; c < expected.Length; c++)
                {
                    Assert.True(expected[c] == image[x, y, c], $"pixel ({x}, {y}) channel {c}: expected {expected[c]}, got {image[x, y, c]}");
                }
            }
        }
    }

    [Fact]
    public void Low_bit_depth_gray_is_scaled_to_the_full_8_bit_range()
    {
        var png = PngTestFiles.Build(4, 1, 0, 2, [0, 1, 2, 3]);
        var image = Png.Decode(png);
        Assert.Equal([0, 85, 170, 255], image.Pixels);
    }

    [Fact]
    public void Sixteen_bit_samples_round_to_the_nearest_8_bit_value()
    {
        var png = PngTestFiles.Build(4, 1, 0, 16, [0, 257 * 100, 65535, 32896]);
        var image = Png.Decode(png);
        Assert.Equal([0, 100, 255, 128], image.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Palette_with_transparency_chunk_decodes_to_rgba_with_alpha_per_entry(int depth)
    {
        int entries = 1 << depth;
        var palette = new byte[entries * 3];
        for (int i = 0; i < palette.Length; i++)
        {
            palette[i] = (byte)(i * 7);
        }

        // tRNS may be shorter than the palette: missing entries are opaque.
        byte[] alpha = entries == 2 ? [0] : [0, 128];
        var samples = Enumerable.Range(0, 6).Select(i => i % entries).ToArray();
        var image = Png.Decode(PngTestFiles.Build(6, 1, 3, depth, samples, palette: palette, transparency: alpha));

        Assert.Equal(4, image.Channels);
        for (int x = 0; x < 6; x++)
        {
            int index = samples[x];
            Assert.Equal(palette[index * 3], image[x, 0, 0]);
            Assert.Equal(palette[(index * 3) + 2], image[x, 0, 2]);
            Assert.Equal(index < alpha.Length ? alpha[index] : (byte)255, image[x, 0, 3]);
        }
    }

    [Fact]
    public void Gray_transparency_chunk_makes_the_matching_gray_level_transparent()
    {
        var image = Png.Decode(PngTestFiles.Build(3, 1, 0, 4, [5, 6, 15], transparency: [0, 6]));
        Assert.Equal(4, image.Channels);
        Assert.Equal(255, image[0, 0, 3]);
        Assert.Equal(0, image[1, 0, 3]);
        Assert.Equal(102, image[1, 0, 0]);
        Assert.Equal(255, image[2, 0, 3]);
    }

    [Fact]
    public void Rgb_transparency_chunk_makes_the_matching_colour_transparent()
    {
        var image = Png.Decode(PngTestFiles.Build(2, 1, 2, 16, [1000, 2000, 3000, 1000, 2000, 3001], transparency: [0x03, 0xE8, 0x07, 0xD0, 0x0B, 0xB8]));
        Assert.Equal(4, image.Channels);
        Assert.Equal(0, image[0, 0, 3]);
        Assert.Equal(255, image[1, 0, 3]);
    }

    [Fact]
    public void A_well_known_one_pixel_transparent_png_decodes()
    {
        var bytes = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
        var image = Png.Decode(bytes);
        Assert.Equal((1, 1, 4), (image.Width, image.Height, image.Channels));
        Assert.Equal([0, 0, 0, 0], image.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Encode_then_decode_returns_the_same_pixels(int channels)
    {
        var image = new RasterImage(37, 23, channels);
        var random = new Random(channels);

        // Half noise, half smooth gradient, so every filter type gets chosen somewhere.
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    image[x, y, c] = y < 12 ? (byte)random.Next(256) : (byte)((x * 7) + (y * 3) + c);
                }
            }
        }

        var decoded = Png.Decode(Png.Encode(image));
        Assert.Equal(channels, decoded.Channels);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Encoded_files_have_a_valid_structure_and_chunk_crcs()
    {
        var png = Png.Encode(new RasterImage(5, 4, 3));
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        var chunks = PngTestFiles.Chunks(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal(new byte[] { 0, 0, 0, 5, 0, 0, 0, 4, 8, 2, 0, 0, 0 }, chunks[0].Data);
        Assert.Equal("IDAT", chunks[1].Type);
        Assert.Equal(("IEND", 0), (chunks[^1].Type, chunks[^1].Data.Length));
    }

    [Fact]
    public void Save_writes_through_a_temporary_file_and_replaces_an_existing_file()
    {
        using var folder = new ImagingTempFolder();
        string path = folder.File("out.png");
        File.WriteAllText(path, "old contents");
        var image = new RasterImage(3, 2, 1, [1, 2, 3, 4, 5, 6]);

        Png.Save(image, path);

        Assert.Equal(image.Pixels, Png.Load(path).Pixels);
        Assert.Equal(["out.png"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Wrong_signature_is_rejected_naming_the_source()
    {
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode("GIF89a not a png at all"u8, "photo.gif"));
        Assert.Contains("photo.gif", ex.Message);
        Assert.Contains("wrong signature", ex.Message);
        Assert.Equal("photo.gif", ex.SourceName);
    }

    [Fact]
    public void Empty_input_is_rejected_as_not_a_png()
    {
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode([], "empty.png"));
        Assert.Contains("empty.png: not a PNG file", ex.Message);
    }

    [Fact]
    public void Bad_crc_is_rejected_naming_the_chunk_and_offset()
    {
        var png = Png.Encode(new RasterImage(4, 4, 1));
        png[20] ^= 0x01; // inside the IHDR data (width/height)
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(png, "bad.png"));
        Assert.Contains("bad.png", ex.Message);
        Assert.Contains("bad CRC in chunk 'IHDR' at offset 8", ex.Message);
    }

    [Fact]
    public void Bad_crc_in_image_data_is_rejected()
    {
        var png = Png.Encode(new RasterImage(4, 4, 1));
        png[41 + 4] ^= 0xFF; // first byte of the IDAT data (signature 8 + IHDR 25 + length and type 8)
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(png, "bad.png"));
        Assert.Contains("bad CRC in chunk 'IDAT'", ex.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(35)]
    [InlineData(50)]
    public void Truncated_file_is_rejected_as_truncated(int keep)
    {
        var png = Png.Encode(new RasterImage(8, 8, 3));
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(png.AsSpan(0, keep), "cut.png"));
        Assert.Contains("cut.png", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void File_cut_before_the_end_chunk_is_rejected_as_truncated()
    {
        var png = Png.Encode(new RasterImage(8, 8, 3));
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(png.AsSpan(0, png.Length - 12), "cut.png"));
        Assert.Contains("no IEND chunk", ex.Message);
    }

    [Fact]
    public void Image_data_that_inflates_to_too_few_bytes_is_rejected()
    {
        // A 4x4 header with the data of a 4x2 image: zlib is fine, the rows run out.
        var small = PngTestFiles.Chunks(Png.Encode(new RasterImage(4, 2, 1)));
        var output = new MemoryStream();
        output.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        PngTestFiles.WriteChunk(output, "IHDR", [0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0]);
        PngTestFiles.WriteChunk(output, "IDAT", small[1].Data);
        PngTestFiles.WriteChunk(output, "IEND", []);
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(output.ToArray(), "short.png"));
        Assert.Contains("truncated image data: 10 of 20 bytes", ex.Message);
    }

    [Fact]
    public void Corrupt_compressed_data_is_rejected()
    {
        var output = new MemoryStream();
        output.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        PngTestFiles.WriteChunk(output, "IHDR", [0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0]);
        PngTestFiles.WriteChunk(output, "IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]);
        PngTestFiles.WriteChunk(output, "IEND", []);
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(output.ToArray(), "zlib.png"));
        Assert.Contains("zlib.png", ex.Message);
    }

    [Fact]
    public void Invalid_filter_type_names_the_row()
    {
        var output = new MemoryStream();
        output.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        PngTestFiles.WriteChunk(output, "IHDR", [0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
        var compressed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Fastest, true))
        {
            z.Write([0, 1, 2, 9, 3, 4]);
        }

        PngTestFiles.WriteChunk(output, "IDAT", compressed.ToArray());
        PngTestFiles.WriteChunk(output, "IEND", []);
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(output.ToArray(), "filter.png"));
        Assert.Contains("invalid filter type 9 on image row 1", ex.Message);
    }

    [Fact]
    public void Unsupported_bit_depth_for_the_colour_type_is_rejected()
    {
        var png = PngTestFiles.Build(2, 2, 0, 8, [0, 0, 0, 0]);
        png[24] = 3; // bit depth byte of IHDR
        var fixedCrc = PngTestFiles.Crc(png[12..29]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), fixedCrc);
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(png, "depth.png"));
        Assert.Contains("unsupported colour type 0 with bit depth 3", ex.Message);
    }

    [Fact]
    public void Palette_image_without_palette_is_rejected()
    {
        var png = PngTestFiles.Build(2, 1, 3, 8, [0, 1]);
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(png, "nopal.png"));
        Assert.Contains("without a PLTE chunk", ex.Message);
    }

    [Fact]
    public void Palette_index_beyond_the_palette_is_rejected_naming_the_pixel()
    {
        var png = PngTestFiles.Build(2, 1, 3, 8, [0, 5], palette: [1, 2, 3, 4, 5, 6]);
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(png, "index.png"));
        Assert.Contains("pixel (1, 0) uses palette index 5 but PLTE has 2 entries", ex.Message);
    }

    [Fact]
    public void Unknown_critical_chunk_is_rejected_but_unknown_ancillary_chunks_are_skipped()
    {
        var ok = PngTestFiles.Build(1, 1, 0, 8, [7], extraChunks: [("zzZz", [1, 2, 3])]);
        Assert.Equal([7], Png.Decode(ok).Pixels);

        var bad = PngTestFiles.Build(1, 1, 0, 8, [7], extraChunks: [("ZZZZ", [1, 2, 3])]);
        var ex = Assert.Throws<PngFormatException>(() => Png.Decode(bad, "crit.png"));
        Assert.Contains("unsupported critical chunk 'ZZZZ'", ex.Message);
    }

    [Fact]
    public void Load_of_a_broken_file_names_the_path()
    {
        using var folder = new ImagingTempFolder();
        string path = folder.File("broken.png");
        File.WriteAllBytes(path, [137, 80, 78, 71, 13, 10, 26, 10, 0, 0]);
        var ex = Assert.Throws<PngFormatException>(() => Png.Load(path));
        Assert.Contains(path, ex.Message);
    }

    private static byte To8(int value, int depth) => depth switch
    {
        16 => (byte)Math.Round(value * 255.0 / 65535.0, MidpointRounding.AwayFromZero),
        _ => (byte)Math.Round(value * 255.0 / ((1 << depth) - 1)),
    };
}
