using Stepwise.Dvc.Internal;
using Stepwise.Imaging;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    private static readonly string[] ImageSuffixes = [".jpg", ".jpeg", ".gif", ".png"];

    /// <summary>
    /// Logs an image from a file, copied as is to <c>plots/images/&lt;name&gt;</c>. When
    /// <paramref name="name"/> has no suffix the file's suffix is appended (<c>from_path</c> → <c>from_path.png</c>).
    /// Use <c>&lt;folder&gt;/&lt;step&gt;.png</c> names for a per-step slider.
    /// </summary>
    /// <param name="name">Image name ending in .png, .jpg, .jpeg or .gif (case-sensitive); may contain folders.</param>
    /// <param name="path">A PNG, JPEG or GIF file (relative paths against the working directory).</param>
    /// <exception cref="InvalidImageNameException">Unsupported suffix, or a name outside the images folder.</exception>
    /// <exception cref="InvalidDataTypeException">The file is not a PNG, JPEG or GIF matching the name's suffix.</exception>
    public void LogImage(string name, string path)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(path);
        var source = Path.GetFullPath(Path.Combine(_cwd, path));
        if (Path.GetExtension(name).Length == 0 && ImageSuffixes.Contains(Path.GetExtension(source), StringComparer.Ordinal))
        {
            name += Path.GetExtension(source);
        }

        ValidateImageName(name);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"Cannot log image '{name}': file '{path}' does not exist.", source);
        }

        WriteImage(name, File.ReadAllBytes(source), path);
    }

    /// <summary>Logs an already encoded PNG, JPEG or GIF image (bytes written as is).</summary>
    /// <param name="name">Image name whose suffix matches the encoding.</param>
    /// <param name="encoded">The encoded image.</param>
    /// <exception cref="InvalidImageNameException">Unsupported suffix, or a name outside the images folder.</exception>
    /// <exception cref="InvalidDataTypeException">The bytes are not a PNG, JPEG or GIF matching the suffix.</exception>
    public void LogImage(string name, byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(encoded);
        ValidateImageName(name);
        WriteImage(name, encoded, "the given bytes");
    }

    /// <summary>Logs a raster image, encoded as PNG.</summary>
    /// <param name="name">Image name ending in <c>.png</c>.</param>
    /// <param name="image">The image.</param>
    /// <exception cref="InvalidImageNameException">The name does not end in <c>.png</c> (only PNG can be encoded).</exception>
    public void LogImage(string name, RasterImage image)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(image);
        ValidateImageName(name);
        if (!name.EndsWith(".png", StringComparison.Ordinal))
        {
            throw new InvalidImageNameException($"Cannot log image with name '{name}': raster images are encoded as PNG, so the name must end in '.png'.");
        }

        WriteImage(name, Png.Encode(image), "the image");
    }

    private static void ValidateImageName(string name)
    {
        if (!ImageSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)))
        {
            throw new InvalidImageNameException($"Cannot log image with name '{name}'");
        }

        var segments = name.Replace('\\', '/').Split('/');
        if (Path.IsPathRooted(name) || segments.Any(s => s is ".." or "") || segments[^1].Length <= 4)
        {
            throw new InvalidImageNameException($"Cannot log image with name '{name}': it must be a relative file name inside the images folder.");
        }
    }

    private static string? DetectFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
        {
            return "png";
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return "jpeg";
        }

        return data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8) ? "gif" : null;
    }

    private static ReadOnlySpan<byte> PngSignature => [137, 80, 78, 71, 13, 10, 26, 10];

    private void WriteImage(string name, byte[] data, string source)
    {
        ThrowIfDisposed();
        var suffixFormat = Path.GetExtension(name) switch
        {
            ".png" => "png",
            ".gif" => "gif",
            _ => "jpeg",
        };
        var format = DetectFormat(data);
        if (format is null)
        {
            throw new InvalidDataTypeException($"Data '{name}' has not supported type: {source} is not a PNG, JPEG or GIF image.");
        }

        if (!string.Equals(format, suffixFormat, StringComparison.Ordinal))
        {
            throw new InvalidDataTypeException(
                $"Data '{name}' has not supported type: {source} is a {format.ToUpperInvariant()} image but the name asks for {suffixFormat.ToUpperInvariant()}.");
        }

        var key = name.Replace('\\', '/');
        var target = Path.Combine(PlotsDir, "images", key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        AtomicFile.WriteBytes(target, data);
        if (_images.Count == 0)
        {
            _dvcYamlDirty = true;
        }

        _images[key] = Step;
        if (_studio is not null)
        {
            _studioImages[key] = ((byte[])data.Clone(), Step);
        }
    }
}
