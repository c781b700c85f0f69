namespace Stepwise.Imaging;

/// <summary>
/// An RGB drawing surface with the few primitives the run plots need: filled rectangles, lines,
/// text in the built-in 5x7 bitmap font and pasted images. Everything is clipped to the canvas;
/// (0, 0) is the top-left pixel.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    /// <summary>Creates a canvas filled with a background colour.</summary>
    /// <param name="width">Width in pixels (at least 1).</param>
    /// <param name="height">Height in pixels (at least 1).</param>
    /// <param name="background">Initial colour of every pixel.</param>
    public Canvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        _pixels = new byte[checked(width * height * 3)];
        FillRect(0, 0, width, height, background);
    }

    /// <summary>Height of capitals and digits at scale 1, in pixels (g, p, q and y reach 2 pixels lower).</summary>
    public const int TextHeight = BitmapFont.GlyphHeight;

    /// <summary>Height of a line of text at scale 1 including the descenders of g, p, q and y.</summary>
    public const int TextHeightWithDescent = BitmapFont.FullHeight;

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Width in pixels of the widest line of <paramref name="text"/> drawn at <paramref name="scale"/>.</summary>
    /// <param name="text">Text; '\n' starts a new line.</param>
    /// <param name="scale">Integer magnification (1 = 5x7 glyphs).</param>
    /// <returns>The width, 0 for empty text.</returns>
    public static int MeasureText(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int widest = 0;
        foreach (var line in text.Split('\n'))
        {
            widest = Math.Max(widest, line.Length);
        }

        // The last glyph needs no trailing space column.
        return widest == 0 ? 0 : ((widest * BitmapFont.Advance) - 1) * scale;
    }

    /// <summary>Sets one pixel; coordinates outside the canvas are ignored.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="colour">New colour.</param>
    public void SetPixel(int x, int y, Rgb colour)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            int o = ((y * Width) + x) * 3;
            _pixels[o] = colour.R;
            _pixels[o + 1] = colour.G;
            _pixels[o + 2] = colour.B;
        }
    }

    /// <summary>Reads one pixel.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns>The colour at (x, y).</returns>
    public Rgb GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}x{Height} canvas.");
        }

        int o = ((y * Width) + x) * 3;
        return new Rgb(_pixels[o], _pixels[o + 1], _pixels[o + 2]);
    }

    /// <summary>Fills the rectangle with top-left (x, y) and size w x h, clipped to the canvas.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="w">Width; zero or negative draws nothing.</param>
    /// <param name="h">Height; zero or negative draws nothing.</param>
    /// <param name="colour">Fill colour.</param>
    public void FillRect(int x, int y, int w, int h, Rgb colour)
    {
        int x0 = Math.Max(x, 0);
        int y0 = Math.Max(y, 0);
        int x1 = (int)Math.Min((long)x + w, Width);
        int y1 = (int)Math.Min((long)y + h, Height);
        for (int row = y0; row < y1; row++)
        {
            int o = ((row * Width) + x0) * 3;
            for (int col = x0; col < x1; col++, o += 3)
            {
                _pixels[o] = colour.R;
                _pixels[o + 1] = colour.G;
                _pixels[o + 2] = colour.B;
            }
        }
    }

    /// <summary>Draws the one-pixel outline of a rectangle.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="w">Width.</param>
    /// <param name="h">Height.</param>
    /// <param name="colour">Outline colour.</param>
    public void DrawRect(int x, int y, int w, int h, Rgb colour)
    {
        if (w <= 0 || h <= 0)
        {
            return;
        }

        FillRect(x, y, w, 1, colour);
        FillRect(x, y + h - 1, w, 1, colour);
        FillRect(x, y, 1, h, colour);
        FillRect(x + w - 1, y, 1, h, colour);
    }

    /// <summary>
    /// Draws a straight line including both end points (Bresenham). A thickness above 1 stamps a
    /// square of that side centred on each point of the line.
    /// </summary>
    /// <param name="x0">Start column.</param>
    /// <param name="y0">Start row.</param>
    /// <param name="x1">End column.</param>
    /// <param name="y1">End row.</param>
    /// <param name="colour">Line colour.</param>
    /// <param name="thickness">Line width in pixels (at least 1).</param>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb colour, int thickness = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(thickness, 1);
        int dx = Math.Abs(x1 - x0);
        int dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        int offset = (thickness - 1) / 2;
        while (true)
        {
            if (thickness == 1)
            {
                SetPixel(x0, y0, colour);
            }
            else
            {
                FillRect(x0 - offset, y0 - offset, thickness, thickness, colour);
            }

            if (x0 == x1 && y0 == y1)
            {
                break;
            }

            int twice = 2 * error;
            if (twice >= dy)
            {
                error += dy;
                x0 += sx;
            }

            if (twice <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>
    /// Draws text in the built-in 5x7 font with its top-left corner at (x, y). Each character
    /// advances 6 pixels (times <paramref name="scale"/>); '\n' starts a new line 9 pixels lower;
    /// characters outside printable ASCII draw as '?'.
    /// </summary>
    /// <param name="x">Left column of the first character.</param>
    /// <param name="y">Top row of the first line.</param>
    /// <param name="text">Text to draw.</param>
    /// <param name="colour">Glyph colour (the background is left as it is).</param>
    /// <param name="scale">Integer magnification.</param>
    public void DrawText(int x, int y, string text, Rgb colour, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int cx = x;
        int cy = y;
        foreach (char ch in text)
        {
            if (ch == '\n')
            {
                cx = x;
                cy += BitmapFont.LineHeight * scale;
                continue;
            }

            int shift = BitmapFont.RowOffset(ch);
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if (BitmapFont.IsSet(ch, col, row))
                    {
                        FillRect(cx + (col * scale), cy + ((row + shift) * scale), scale, scale, colour);
                    }
                }
            }

            cx += BitmapFont.Advance * scale;
        }
    }

    /// <summary>
    /// Pastes an image with its top-left corner at (x, y), each source pixel becoming a
    /// scale x scale block. Gray is shown as gray; RGBA is blended over the canvas by its alpha.
    /// </summary>
    /// <param name="img">The image to paste.</param>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="scale">Integer magnification (nearest neighbour).</param>
    public void DrawImage(RasterImage img, int x, int y, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(img);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var src = img.Pixels;
        int channels = img.Channels;
        for (int sy = 0; sy < img.Height; sy++)
        {
            for (int sx = 0; sx < img.Width; sx++)
            {
                int o = ((sy * img.Width) + sx) * channels;
                byte r = src[o];
                byte g = channels == 1 ? r : src[o + 1];
                byte b = channels == 1 ? r : src[o + 2];
                if (channels == 4 && src[o + 3] != 255)
                {
                    BlendBlock(x + (sx * scale), y + (sy * scale), scale, new Rgb(r, g, b), src[o + 3]);
                }
                else
                {
                    FillRect(x + (sx * scale), y + (sy * scale), scale, scale, new Rgb(r, g, b));
                }
            }
        }
    }

    /// <summary>Copies the canvas into a new 3-channel image.</summary>
    /// <returns>An RGB image of the canvas.</returns>
    public RasterImage ToImage() => new(Width, Height, 3, (byte[])_pixels.Clone());

    private void BlendBlock(int x, int y, int size, Rgb colour, byte alpha)
    {
        for (int row = Math.Max(y, 0); row < Math.Min(y + size, Height); row++)
        {
            for (int col = Math.Max(x, 0); col < Math.Min(x + size, Width); col++)
            {
                int o = ((row * Width) + col) * 3;
                _pixels[o] = Blend(_pixels[o], colour.R, alpha);
                _pixels[o + 1] = Blend(_pixels[o + 1], colour.G, alpha);
                _pixels[o + 2] = Blend(_pixels[o + 2], colour.B, alpha);
            }
        }
    }

    private static byte Blend(byte under, byte over, byte alpha) => (byte)(((over * alpha) + (under * (255 - alpha)) + 127) / 255);
}
