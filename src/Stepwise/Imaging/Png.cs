namespace Stepwise.Imaging;

/// <summary>
/// PNG encode and decode. Decoding accepts every standard colour type and bit depth (gray 1/2/4/8/16,
/// RGB 8/16, palette 1/2/4/8, gray+alpha 8/16, RGBA 8/16), transparency chunks and Adam7 interlacing;
/// samples are reduced to 8 bits. Encoding writes 8-bit gray, RGB or RGBA, non-interlaced.
/// </summary>
public static class Png
{
    /// <summary>Encodes an image as PNG bytes (8-bit gray, RGB or RGBA after the image's channel count).</summary>
    /// <param name="image">The image to encode.</param>
    /// <returns>A complete PNG file.</returns>
    public static byte[] Encode(RasterImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PngEncoder.Encode(image);
    }

    /// <summary>
    /// Decodes PNG bytes. Gray stays 1 channel, RGB 3 channels, gray+alpha and anything with a
    /// transparency chunk become RGBA, palette images become RGB (RGBA with tRNS).
    /// </summary>
    /// <param name="data">The PNG file contents.</param>
    /// <param name="source">A file path or label used in error messages.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="PngFormatException">The data is not a valid PNG; the message names source, problem and offset.</exception>
    public static RasterImage Decode(ReadOnlySpan<byte> data, string? source = null) => PngDecoder.Decode(data, source);

    /// <summary>Writes an image as a PNG file through a temporary file and a rename, so a reader never sees half a file.</summary>
    /// <param name="image">The image to write.</param>
    /// <param name="path">Destination path; its folder must exist.</param>
    public static void Save(RasterImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = Encode(image);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Reads and decodes a PNG file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="PngFormatException">The file is not a valid PNG; the message names the path.</exception>
    public static RasterImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode(File.ReadAllBytes(path), path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
