using Stepwise.Imaging;

namespace Stepwise.Tests.Imaging;

public class CanvasTests
{
    private static readonly Rgb Red = new(255, 0, 0);

    [Fact]
    public void New_canvas_is_filled_with_the_background()
    {
        var image = new Canvas(3, 2, new Rgb(1, 2, 3)).ToImage();
        Assert.Equal(3, image.Channels);
        Assert.All(Enumerable.Range(0, 6), p => Assert.Equal([1, 2, 3], image.Pixels[(p * 3)..((p * 3) + 3)]));
    }

    [Fact]
    public void FillRect_is_clipped_to_the_canvas()
    {
        var canvas = new Canvas(4, 4, Rgb.White);
        canvas.FillRect(-2, 2, 4, 10, Red);
        var decoded = RoundTrip(canvas);
        Assert.Equal(Red, Pixel(decoded, 0, 2));
        Assert.Equal(Red, Pixel(decoded, 1, 3));
        Assert.Equal(Rgb.White, Pixel(decoded, 2, 2));
        Assert.Equal(Rgb.White, Pixel(decoded, 0, 1));
    }

    [Fact]
    public void DrawLine_covers_both_end_points_and_the_diagonal()
    {
        var canvas = new Canvas(6, 6, Rgb.White);
        canvas.DrawLine(0, 0, 5, 5, Red);
        var decoded = RoundTrip(canvas);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(Red, Pixel(decoded, i, i));
        }

        Assert.Equal(Rgb.White, Pixel(decoded, 1, 0));
        Assert.Equal(6, CountColour(decoded, Red));
    }

    [Fact]
    public void DrawLine_with_thickness_draws_a_wider_band()
    {
        var canvas = new Canvas(10, 10, Rgb.White);
        canvas.DrawLine(1, 5, 8, 5, Red, thickness: 3);
        var decoded = RoundTrip(canvas);
        Assert.Equal(Red, Pixel(decoded, 4, 4));
        Assert.Equal(Red, Pixel(decoded, 4, 6));
        Assert.Equal(Rgb.White, Pixel(decoded, 4, 7));

        // Square caps: the 3x3 stamps reach one pixel past each end point.
        Assert.Equal(Red, Pixel(decoded, 0, 5));
        Assert.Equal(Rgb.White, Pixel(decoded, 0, 7));
        Assert.Equal(10 * 3, CountColour(decoded, Red));
    }

    [Fact]
    public void DrawText_draws_the_glyph_bitmap()
    {
        var canvas = new Canvas(12, 9, Rgb.White);
        canvas.DrawText(1, 1, "T", Red);
        var decoded = RoundTrip(canvas);

        // 'T' is a full top bar and a centre stem.
        for (int x = 1; x <= 5; x++)
        {
            Assert.Equal(Red, Pixel(decoded, x, 1));
        }

        for (int y = 2; y <= 7; y++)
        {
            Assert.Equal(Red, Pixel(decoded, 3, y));
            Assert.Equal(Rgb.White, Pixel(decoded, 2, y));
        }

        Assert.Equal(5 + 6, CountColour(decoded, Red));
    }

    [Fact]
    public void DrawText_at_scale_two_doubles_every_font_pixel()
    {
        var one = new Canvas(20, 20, Rgb.White);
        one.DrawText(0, 0, "Ag", Red);
        var two = new Canvas(40, 40, Rgb.White);
        two.DrawText(0, 0, "Ag", Red, scale: 2);
        Assert.Equal(CountColour(one.ToImage(), Red) * 4, CountColour(two.ToImage(), Red));
    }

    [Fact]
    public void Every_printable_character_has_a_distinct_glyph()
    {
        var seen = new Dictionary<string, char>();
        for (char ch = '!'; ch <= '~'; ch++)
        {
            var canvas = new Canvas(6, 10, Rgb.White);
            canvas.DrawText(0, 0, ch.ToString(), Rgb.Black);
            string key = Convert.ToHexString(canvas.ToImage().Pixels);
            Assert.False(seen.TryGetValue(key, out char other), $"'{ch}' looks the same as '{other}'");
            seen[key] = ch;
            Assert.True(CountColour(canvas.ToImage(), Rgb.Black) > 0, $"'{ch}' draws nothing");
        }
    }

    [Fact]
    public void Characters_outside_ascii_draw_as_a_question_mark()
    {
        var a = new Canvas(6, 9, Rgb.White);
        a.DrawText(0, 0, "\u00e9", Red);
        var b = new Canvas(6, 9, Rgb.White);
        b.DrawText(0, 0, "?", Red);
        Assert.Equal(b.ToImage().Pixels, a.ToImage().Pixels);
    }

    [Theory]
    [InlineData("", 1, 0)]
    [InlineData("A", 1, 5)]
    [InlineData("abc", 1, 17)]
    [InlineData("abc", 2, 34)]
    [InlineData("ab\nabcd", 1, 23)]
    public void MeasureText_returns_the_width_of_the_widest_line(string text, int scale, int expected)
    {
        Assert.Equal(expected, Canvas.MeasureText(text, scale));
    }

    [Fact]
    public void DrawText_stays_within_the_measured_width()
    {
        var canvas = new Canvas(100, 12, Rgb.White);
        canvas.DrawText(0, 0, "Wide MW", Red);
        var image = canvas.ToImage();
        int width = Canvas.MeasureText("Wide MW");
        int rightmost = Enumerable.Range(0, 100).Last(x => Enumerable.Range(0, 12).Any(y => Pixel(image, x, y) == Red));
        Assert.Equal(width - 1, rightmost);
    }

    [Fact]
    public void DrawImage_scales_gray_pixels_into_blocks()
    {
        var canvas = new Canvas(6, 4, Rgb.White);
        canvas.DrawImage(new RasterImage(2, 1, 1, [10, 200]), 1, 1, scale: 2);
        var decoded = RoundTrip(canvas);
        Assert.Equal(new Rgb(10, 10, 10), Pixel(decoded, 1, 1));
        Assert.Equal(new Rgb(10, 10, 10), Pixel(decoded, 2, 2));
        Assert.Equal(new Rgb(200, 200, 200), Pixel(decoded, 3, 1));
        Assert.Equal(new Rgb(200, 200, 200), Pixel(decoded, 4, 2));
        Assert.Equal(Rgb.White, Pixel(decoded, 5, 1));
        Assert.Equal(Rgb.White, Pixel(decoded, 1, 3));
    }

    [Fact]
    public void DrawImage_blends_rgba_by_alpha()
    {
        var canvas = new Canvas(3, 1, Rgb.White);
        canvas.DrawImage(new RasterImage(3, 1, 4, [0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]), 0, 0);
        var decoded = RoundTrip(canvas);
        Assert.Equal(Rgb.White, Pixel(decoded, 0, 0));
        Assert.Equal(Rgb.Black, Pixel(decoded, 1, 0));
        Assert.Equal(new Rgb(127, 127, 127), Pixel(decoded, 2, 0));
    }

    [Fact]
    public void Rgb_lerp_blends_and_clamps()
    {
        Assert.Equal(new Rgb(50, 100, 125), Rgb.Lerp(Rgb.Black, new Rgb(100, 200, 250), 0.5));
        Assert.Equal(Rgb.White, Rgb.Lerp(Rgb.Black, Rgb.White, 7));
        Assert.Equal(Rgb.Black, Rgb.Lerp(Rgb.Black, Rgb.White, double.NaN));
    }

    internal static RasterImage RoundTrip(Canvas canvas) => Png.Decode(Png.Encode(canvas.ToImage()), "canvas");

    internal static Rgb Pixel(RasterImage image, int x, int y) => new(image[x, y, 0], image[x, y, 1], image[x, y, 2]);

    internal static int CountColour(RasterImage image, Rgb colour)
    {
        int count = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (Pixel(image, x, y) == colour)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
