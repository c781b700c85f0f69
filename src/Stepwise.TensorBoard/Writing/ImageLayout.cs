using Stepwise.Imaging;

namespace Stepwise.TensorBoard.Writing;

/// <summary>Turns raw pixel buffers into images and lays several images out as a grid.</summary>
internal static class ImageLayout
{
    public static RasterImage FromRaw(ReadOnlySpan<byte> pixels, int channels, int height, int width, ImageDataFormat format)
    {
        if (format == ImageDataFormat.Hw)
        {
            if (channels != 1)
            {
                throw new ArgumentException($"Format HW holds one channel, but channels is {channels}.", nameof(channels));
            }
        }
        else if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentException($"Images have 1 (gray), 3 (RGB) or 4 (RGBA) channels, not {channels}.", nameof(channels));
        }

        if (height < 1 || width < 1)
        {
            throw new ArgumentException($"Image size {width}x{height} must be at least 1x1.", nameof(height));
        }

        long expected = (long)channels * height * width;
        if (pixels.Length != expected)
        {
            throw new ArgumentException($"{pixels.Length} samples given, but {format} {channels}x{height}x{width} needs {expected}.", nameof(pixels));
        }

        var image = new RasterImage(width, height, channels);
        if (format != ImageDataFormat.Chw || channels == 1)
        {
            pixels.CopyTo(image.Pixels);
            return image;
        }

        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < plane; i++)
            {
                image.Pixels[(i * channels) + c] = pixels[(c * plane) + i];
            }
        }

        return image;
    }

    public static RasterImage Grid(IReadOnlyList<RasterImage> images, int columns)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            throw new ArgumentException("At least one image is needed.", nameof(images));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        int width = images[0].Width;
        int height = images[0].Height;
        int channels = 1;
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i] ?? throw new ArgumentException($"Image {i} is null.", nameof(images));
            if (image.Width != width || image.Height != height)
            {
                throw new ArgumentException($"Image {i} is {image.Width}x{image.Height}, but image 0 is {width}x{height}; a grid needs one size.", nameof(images));
            }

            channels = Math.Max(channels, image.Channels);
        }

        int cols = Math.Min(columns, images.Count);
        int rows = (images.Count + cols - 1) / cols;
        var grid = new RasterImage(width * cols, height * rows, channels);
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i].Channels == channels ? images[i] : channels == 3 ? images[i].ToRgb() : ToRgba(images[i]);
            int ox = (i % cols) * width;
            int oy = (i / cols) * height;
            for (int y = 0; y < height; y++)
            {
                image.Pixels.AsSpan(y * width * channels, width * channels)
                    .CopyTo(grid.Pixels.AsSpan((((oy + y) * grid.Width) + ox) * channels));
            }
        }

        return grid;
    }

    private static RasterImage ToRgba(RasterImage image)
    {
        var rgb = image.ToRgb();
        var rgba = new RasterImage(image.Width, image.Height, 4);
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            rgba.Pixels[i * 4] = rgb.Pixels[i * 3];
            rgba.Pixels[(i * 4) + 1] = rgb.Pixels[(i * 3) + 1];
            rgba.Pixels[(i * 4) + 2] = rgb.Pixels[(i * 3) + 2];
            rgba.Pixels[(i * 4) + 3] = 255;
        }

        return rgba;
    }
}
