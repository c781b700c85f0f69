namespace Stepwise.Imaging;

/// <summary>
/// An 8-bit-per-channel raster image: 1 channel (gray), 3 (RGB) or 4 (RGBA), stored row-major with
/// the channels of a pixel interleaved.
/// </summary>
public sealed class RasterImage
{
    /// <summary>Creates a black (all-zero) image.</summary>
    /// <param name="width">Width in pixels (at least 1).</param>
    /// <param name="height">Height in pixels (at least 1).</param>
    /// <param name="channels">1 (gray), 3 (RGB) or 4 (RGBA).</param>
    public RasterImage(int width, int height, int channels)
    {
        Validate(width, height, channels);
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = new byte[checked(width * height * channels)];
    }

    /// <summary>Wraps an existing pixel buffer (not copied).</summary>
    /// <param name="width">Width in pixels (at least 1).</param>
    /// <param name="height">Height in pixels (at least 1).</param>
    /// <param name="channels">1 (gray), 3 (RGB) or 4 (RGBA).</param>
    /// <param name="pixels">Row-major interleaved samples; length must be width*height*channels.</param>
    public RasterImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        Validate(width, height, channels);
        if (pixels.Length != checked(width * height * channels))
        {
            throw new ArgumentException(
                $"Pixel buffer holds {pixels.Length} bytes but {width}x{height}x{channels} needs {width * height * channels}.",
                nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Channels per pixel: 1 (gray), 3 (RGB) or 4 (RGBA).</summary>
    public int Channels { get; }

    /// <summary>Row-major samples, channels interleaved; index = (y * Width + x) * Channels + c.</summary>
    public byte[] Pixels { get; }

    /// <summary>Gets or sets one sample.</summary>
    /// <param name="x">Column, 0 at the left.</param>
    /// <param name="y">Row, 0 at the top.</param>
    /// <param name="c">Channel index.</param>
    public byte this[int x, int y, int c]
    {
        get => Pixels[Index(x, y, c)];
        set => Pixels[Index(x, y, c)] = value;
    }

    /// <summary>
    /// Converts to one gray channel with the ITU-R BT.601 luma weights (0.299 R + 0.587 G + 0.114 B).
    /// Alpha is ignored: transparent pixels keep their colour. A gray image is copied.
    /// </summary>
    /// <returns>A new 1-channel image.</returns>
    public RasterImage ToGray()
    {
        var result = new RasterImage(Width, Height, 1);
        if (Channels == 1)
        {
            Pixels.CopyTo(result.Pixels, 0);
            return result;
        }

        var src = Pixels;
        var dst = result.Pixels;
        for (int i = 0, s = 0; i < dst.Length; i++, s += Channels)
        {
            // Integer weights summing to 1 << 16 keep the result exact for gray-valued colours.
            int luma = (19595 * src[s]) + (38470 * src[s + 1]) + (7471 * src[s + 2]);
            dst[i] = (byte)((luma + 32768) >> 16);
        }

        return result;
    }

    /// <summary>Converts to three RGB channels; gray is replicated, alpha is dropped. An RGB image is copied.</summary>
    /// <returns>A new 3-channel image.</returns>
    public RasterImage ToRgb()
    {
        var result = new RasterImage(Width, Height, 3);
        var src = Pixels;
        var dst = result.Pixels;
        int count = Width * Height;
        switch (Channels)
        {
            case 3:
                src.CopyTo(dst, 0);
                break;
            case 1:
                for (int i = 0; i < count; i++)
                {
                    dst[(i * 3) + 0] = dst[(i * 3) + 1] = dst[(i * 3) + 2] = src[i];
                }

                break;
            default:
                for (int i = 0; i < count; i++)
                {
                    dst[(i * 3) + 0] = src[(i * 4) + 0];
                    dst[(i * 3) + 1] = src[(i * 4) + 1];
                    dst[(i * 3) + 2] = src[(i * 4) + 2];
                }

                break;
        }

        return result;
    }

    /// <summary>
    /// Resamples to a new size, each axis on its own: an axis that shrinks uses an area average
    /// (every source pixel contributes by the fraction of it that the target pixel covers), an axis
    /// that grows uses bilinear interpolation between pixel centres (edges clamp). Same size copies.
    /// </summary>
    /// <param name="width">Target width (at least 1).</param>
    /// <param name="height">Target height (at least 1).</param>
    /// <returns>A new image with the same channel count.</returns>
    public RasterImage Resize(int width, int height)
    {
        Validate(width, height, Channels);
        if (width == Width && height == Height)
        {
            return new RasterImage(Width, Height, Channels, (byte[])Pixels.Clone());
        }

        // Horizontal pass into floats, then vertical pass, so each axis gets the filter its direction needs.
        var horizontal = new float[Height * width * Channels];
        var weightsX = Weights(Width, width);
        for (int y = 0; y < Height; y++)
        {
            int srcRow = y * Width * Channels;
            int dstRow = y * width * Channels;
            for (int x = 0; x < width; x++)
            {
                foreach (var (index, weight) in weightsX[x])
                {
                    for (int c = 0; c < Channels; c++)
                    {
                        horizontal[dstRow + (x * Channels) + c] += weight * Pixels[srcRow + (index * Channels) + c];
                    }
                }
            }
        }

        var result = new RasterImage(width, height, Channels);
        var weightsY = Weights(Height, height);
        int stride = width * Channels;
        var acc = new float[stride];
        for (int y = 0; y < height; y++)
        {
            Array.Clear(acc);
            foreach (var (index, weight) in weightsY[y])
            {
                int row = index * stride;
                for (int i = 0; i < stride; i++)
                {
                    acc[i] += weight * horizontal[row + i];
                }
            }

            int dstRow = y * stride;
            for (int i = 0; i < stride; i++)
            {
                result.Pixels[dstRow + i] = (byte)Math.Clamp((int)MathF.Round(acc[i]), 0, 255);
            }
        }

        return result;
    }

    private static (int Index, float Weight)[][] Weights(int source, int target)
    {
        var weights = new (int, float)[target][];
        if (target < source)
        {
            double scale = (double)source / target;
            for (int t = 0; t < target; t++)
            {
                double start = t * scale;
                double end = start + scale;
                var list = new List<(int, float)>();
                for (int s = (int)Math.Floor(start); s < end && s < source; s++)
                {
                    double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                    if (overlap > 1e-9)
                    {
                        list.Add((s, (float)(overlap / scale)));
                    }
                }

                weights[t] = [.. list];
            }
        }
        else
        {
            double scale = (double)source / target;
            for (int t = 0; t < target; t++)
            {
                double centre = ((t + 0.5) * scale) - 0.5;
                int left = (int)Math.Floor(centre);
                double frac = centre - left;
                int a = Math.Clamp(left, 0, source - 1);
                int b = Math.Clamp(left + 1, 0, source - 1);
                weights[t] = a == b ? [(a, 1f)] : [(a, (float)(1 - frac)), (b, (float)frac)];
            }
        }

        return weights;
    }

    private int Index(int x, int y, int c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || (uint)c >= (uint)Channels)
        {
            throw new ArgumentOutOfRangeException(
                nameof(x), $"({x}, {y}, channel {c}) is outside a {Width}x{Height}x{Channels} image.");
        }

        return (((y * Width) + x) * Channels) + c;
    }

    private static void Validate(int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 (gray), 3 (RGB) or 4 (RGBA).");
        }
    }
}
