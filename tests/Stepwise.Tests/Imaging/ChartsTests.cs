using Stepwise.Imaging;
using static Stepwise.Tests.Imaging.CanvasTests;

namespace Stepwise.Tests.Imaging;

public class ChartsTests
{
    private static readonly double[] Epochs = [1, 2, 3, 4, 5];

    [Fact]
    public void Results_lays_out_one_panel_per_series_and_survives_a_png_round_trip()
    {
        using var folder = new ImagingTempFolder();
        string path = folder.File("results.png");
        Png.Save(Charts.Results(Series(4), Epochs), path);
        var image = Png.Load(path);

        Assert.Equal((2 * Charts.PanelWidth, 2 * Charts.PanelHeight), (image.Width, image.Height));
        for (int panel = 0; panel < 4; panel++)
        {
            Assert.True(CountIn(image, Charts.CurveColour, PanelRect(panel, 2)) > 50, $"panel {panel} has no curve");
        }
    }

    [Fact]
    public void Results_puts_up_to_five_panels_in_a_row()
    {
        var image = Charts.Results(Series(10), Epochs);
        Assert.Equal((5 * Charts.PanelWidth, 2 * Charts.PanelHeight), (image.Width, image.Height));
    }

    [Fact]
    public void Results_draws_a_rising_series_rising_from_left_to_right()
    {
        var image = Charts.Results([("metrics/accuracy_top1", [0.1, 0.3, 0.5, 0.7, 0.9])], Epochs);
        var points = CurvePixels(image, (0, 0, Charts.PanelWidth, Charts.PanelHeight));
        double leftY = points.Where(p => p.X < 120).Average(p => p.Y);
        double rightY = points.Where(p => p.X > 220).Average(p => p.Y);
        Assert.True(leftY > rightY + 60, $"left {leftY:F0} should be well below right {rightY:F0}");
    }

    [Fact]
    public void Results_titles_each_panel_with_its_series_name()
    {
        var image = Charts.Results([("val/loss", [3, 2, 1, 1, 1])], Epochs);
        var expected = new Canvas(Charts.PanelWidth, Charts.PanelHeight, Rgb.White);
        expected.DrawText((Charts.PanelWidth / 2) - (Canvas.MeasureText("val/loss") / 2), 8, "val/loss", Charts.AxisColour);
        var reference = expected.ToImage();
        for (int y = 0; y < 18; y++)
        {
            for (int x = 0; x < Charts.PanelWidth; x++)
            {
                Assert.Equal(Pixel(reference, x, y), Pixel(image, x, y));
            }
        }
    }

    [Fact]
    public void Results_draws_tick_marks_and_labels_on_both_axes()
    {
        var image = Charts.Results([("train/loss", [1.0, 0.8, 0.6, 0.4, 0.2])], Epochs);

        // The axis box starts at x = 56; tick marks stick out 4 pixels to its left, labels sit further left.
        int tickPixels = 0;
        for (int y = 0; y < Charts.PanelHeight; y++)
        {
            if (Pixel(image, 53, y) == Charts.AxisColour)
            {
                tickPixels++;
            }
        }

        Assert.InRange(tickPixels, 3, 12);
        Assert.True(CountIn(image, Charts.AxisColour, (0, 24, 50, 170)) > 40, "no y tick labels");
        Assert.True(CountIn(image, Charts.AxisColour, (56, 195, 240, 25)) > 40, "no x tick labels");
    }

    [Fact]
    public void Results_skips_non_finite_values_and_marks_an_empty_series()
    {
        var image = Charts.Results([("a", [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN]), ("b", [1, double.NaN, 3, 4, 5])], Epochs);
        Assert.Equal(0, CountIn(image, Charts.CurveColour, PanelRect(0, 2)));
        Assert.True(CountIn(image, Charts.CurveColour, PanelRect(1, 2)) > 50);
    }

    [Theory]
    [InlineData(0.0, 1.0, 5, 0.0, 1.0, 0.5)]
    [InlineData(0.13, 0.97, 5, 0.0, 1.0, 0.5)]
    [InlineData(1.0, 10.0, 6, 0.0, 10.0, 2.0)]
    [InlineData(5.0, 5.0, 5, 4.5, 5.5, 0.5)]
    [InlineData(0.0, 0.0, 5, -1.0, 1.0, 0.5)]
    [InlineData(0.0021, 0.0093, 5, 0.002, 0.01, 0.002)]
    public void Nice_ranges_use_round_steps_that_cover_the_data(double min, double max, int ticks, double low, double high, double step)
    {
        var range = Charts.NiceRange(min, max, ticks);
        Assert.Equal(low, range.Low, 9);
        Assert.Equal(high, range.High, 9);
        Assert.Equal(step, range.Step, 9);
    }

    [Theory]
    [InlineData(2.0, 2.0, "2")]
    [InlineData(0.5, 0.5, "0.5")]
    [InlineData(0.004, 0.002, "0.004")]
    [InlineData(1e-17, 0.1, "0.0")]
    public void Tick_labels_show_as_many_decimals_as_the_step_needs(double value, double step, string expected)
    {
        Assert.Equal(expected, Charts.FormatTick(value, step));
    }

    [Fact]
    public void Normalized_confusion_matrix_shades_a_perfect_diagonal_darkest_and_the_rest_lightest()
    {
        int[,] counts = { { 10, 0, 0 }, { 0, 7, 0 }, { 0, 0, 3 } };
        var image = Png.Decode(Png.Encode(Charts.ConfusionMatrix(counts, ["a", "b", "c"], normalize: true)));

        // Three 52x52 diagonal cells minus the white "1.00" text in each.
        int dark = CountColour(image, Charts.HeatHigh);
        Assert.InRange(dark, 3 * ((52 * 52) - 60), (3 * 52 * 52) + 60);
        Assert.True(CountColour(image, Charts.HeatLow) >= 6 * 52 * 52, "off-diagonal cells are not the lightest colour");
    }

    [Fact]
    public void Count_confusion_matrix_shades_cells_relative_to_the_largest_count()
    {
        int[,] counts = { { 5, 0 }, { 0, 10 } };
        var image = Charts.ConfusionMatrix(counts, ["a", "b"], normalize: false);
        var half = Rgb.Lerp(Charts.HeatLow, Charts.HeatHigh, 0.5);
        Assert.InRange(CountColour(image, half), (52 * 52) - 40, 52 * 52);
        Assert.InRange(CountColour(image, Charts.HeatHigh), (52 * 52) - 40, (52 * 52) + 20);
    }

    [Fact]
    public void Confusion_matrix_cells_show_their_values()
    {
        var ten = Charts.ConfusionMatrix(new[,] { { 10, 0 }, { 0, 10 } }, ["a", "b"], normalize: false);
        var twenty = Charts.ConfusionMatrix(new[,] { { 20, 0 }, { 0, 20 } }, ["a", "b"], normalize: false);
        var again = Charts.ConfusionMatrix(new[,] { { 10, 0 }, { 0, 10 } }, ["a", "b"], normalize: false);
        Assert.Equal(again.Pixels, ten.Pixels);
        Assert.NotEqual(ten.Pixels, twenty.Pixels);
        Assert.True(CountColour(ten, Rgb.White) > 0);
    }

    [Fact]
    public void Confusion_matrix_labels_rows_and_columns_with_class_names()
    {
        var named = Charts.ConfusionMatrix(new[,] { { 1, 0 }, { 0, 1 } }, ["cat", "dog"], normalize: false);
        var other = Charts.ConfusionMatrix(new[,] { { 1, 0 }, { 0, 1 } }, ["cow", "pig"], normalize: false);
        Assert.Equal((named.Width, named.Height), (other.Width, other.Height));
        Assert.NotEqual(named.Pixels, other.Pixels);
    }

    [Fact]
    public void Confusion_matrix_of_the_wrong_shape_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Charts.ConfusionMatrix(new int[2, 3], ["a", "b"], false));
        Assert.Contains("2x3", ex.Message);
    }

    [Fact]
    public void Mosaic_places_scaled_tiles_in_a_grid_with_labels_underneath()
    {
        var first = new RasterImage(2, 2, 1, [0, 50, 100, 150]);
        var second = new RasterImage(2, 2, 3, [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
        var image = Png.Decode(Png.Encode(Charts.Mosaic([first, second, first], ["x", "y", "z"], columns: 2, scale: 3)));

        // Cells are 6 + 2 * 4 pixels wide and 4 + 6 + 14 high; the tile sits 4 pixels in.
        Assert.Equal((28, (2 * 24) + 4), (image.Width, image.Height));
        Assert.Equal(new Rgb(0, 0, 0), Pixel(image, 4, 4));
        Assert.Equal(new Rgb(50, 50, 50), Pixel(image, 7, 6));
        Assert.Equal(new Rgb(150, 150, 150), Pixel(image, 9, 9));
        Assert.Equal(new Rgb(255, 0, 0), Pixel(image, 14 + 4, 4));
        Assert.Equal(new Rgb(9, 9, 9), Pixel(image, 14 + 9, 9));
        Assert.Equal(new Rgb(100, 100, 100), Pixel(image, 4, 24 + 7));
        Assert.True(CountIn(image, Rgb.Black, (0, 13, 14, 10)) > 5, "label of the first tile is missing");
        Assert.True(CountIn(image, Rgb.Black, (14, 13, 14, 10)) > 5, "label of the second tile is missing");
    }

    [Fact]
    public void Mosaic_draws_labels_in_the_given_colours()
    {
        var tile = new RasterImage(8, 8, 1);
        var green = new Rgb(0, 160, 0);
        var image = Charts.Mosaic([tile, tile], ["ok", "bad"], 2, 1, [green, Charts.AxisColour]);
        Assert.True(CountColour(image, green) > 5);
    }

    [Fact]
    public void Mosaic_needs_one_label_per_tile()
    {
        var tile = new RasterImage(2, 2, 1);
        Assert.Throws<ArgumentException>(() => Charts.Mosaic([tile, tile], ["only one"], 2));
        Assert.Throws<ArgumentException>(() => Charts.Mosaic([], [], 2));
    }

    private static List<(string, IReadOnlyList<double>)> Series(int count) =>
        [.. Enumerable.Range(0, count).Select(i => ($"series{i}", (IReadOnlyList<double>)Epochs.Select(e => Math.Sin(e + i)).ToList()))];

    private static (int X, int Y, int W, int H) PanelRect(int panel, int columns) =>
        ((panel % columns) * Charts.PanelWidth, (panel / columns) * Charts.PanelHeight, Charts.PanelWidth, Charts.PanelHeight);

    private static int CountIn(RasterImage image, Rgb colour, (int X, int Y, int W, int H) rect) =>
        CurvePixels(image, rect, colour).Count;

    private static List<(int X, int Y)> CurvePixels(RasterImage image, (int X, int Y, int W, int H) rect, Rgb? colour = null)
    {
        var found = new List<(int, int)>();
        for (int y = rect.Y; y < Math.Min(rect.Y + rect.H, image.Height); y++)
        {
            for (int x = rect.X; x < Math.Min(rect.X + rect.W, image.Width); x++)
            {
                if (Pixel(image, x, y) == (colour ?? Charts.CurveColour))
                {
                    found.Add((x, y));
                }
            }
        }

        return found;
    }
}
