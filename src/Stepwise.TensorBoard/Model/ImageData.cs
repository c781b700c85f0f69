using Stepwise.Imaging;

namespace Stepwise.TensorBoard.Model;

/// <summary>An image summary (<c>Summary.Image</c>): size, colour space and the encoded (PNG) bytes.</summary>
public sealed record ImageData
{
    /// <summary>Height in pixels.</summary>
    public int Height { get; init; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; init; }

    /// <summary>Channel count: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.</summary>
    public int Colorspace { get; init; }

    /// <summary>The encoded image (PNG).</summary>
    public byte[] Encoded { get; init; } = [];

    /// <summary>Decodes the PNG bytes.</summary>
    /// <returns>The pixels.</returns>
    /// <exception cref="PngFormatException">The bytes are not a valid PNG.</exception>
    public RasterImage Decode() => Png.Decode(Encoded, "image summary");
}
