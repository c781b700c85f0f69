using Stepwise.Imaging;

namespace Stepwise.Tests.Imaging;

public class RasterImageTests
{
    [Fact]
    public void Indexer_addresses_interleaved_row_major_samples()
    {
        var image = new RasterImage(3, 2, 3);
        image[2, 1, 1] = 42;
        Assert.Equal(42, image.Pixels[(((1 * 3) + 2) * 3) + 1]);
    }

    [Fact]
    public void Indexer_outside_the_image_throws()
    {
        var image = new RasterImage(3, 2, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[3, 0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[0, 0, 1]);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 2)]
    public void Invalid_size_or_channel_count_is_rejected(int width, int height, int channels)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RasterImage(width, height, channels));
    }

    [Fact]
    public void Pixel_buffer_of_the_wrong_length_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new RasterImage(2, 2, 3, new byte[11]));
    }

    [Fact]
    public void ToGray_uses_luma_weights_and_keeps_gray_colours_exact()
    {
        var image = new RasterImage(4, 1, 4, [255, 0, 0, 9, 0, 255, 0, 9, 0, 0, 255, 9, 77, 77, 77, 0]);
        var gray = image.ToGray();
        Assert.Equal(1, gray.Channels);
        Assert.Equal([76, 150, 29, 77], gray.Pixels);
    }

    [Fact]
    public void ToRgb_replicates_gray_and_drops_alpha()
    {
        Assert.Equal([9, 9, 9, 200, 200, 200], new RasterImage(2, 1, 1, [9, 200]).ToRgb().Pixels);
        Assert.Equal([1, 2, 3], new RasterImage(1, 1, 4, [1, 2, 3, 4]).ToRgb().Pixels);
    }

    [Fact]
    public void Resize_down_averages_the_covered_area()
    {
        var image = new RasterImage(4, 2, 1, [0, 100, 200, 200, 100, 200, 0, 0]);
        var half = image.Resize(2, 1);
        Assert.Equal([100, 100], half.Pixels);
    }

    [Fact]
    public void Resize_down_by_a_fraction_weights_partially_covered_pixels()
    {
        // 3 -> 2: target 0 covers source 0 fully and half of source 1.
        var image = new RasterImage(3, 1, 1, [0, 90, 180]);
        Assert.Equal([30, 150], image.Resize(2, 1).Pixels);
    }

    [Fact]
    public void Resize_up_interpolates_between_pixel_centres_and_clamps_at_edges()
    {
        var image = new RasterImage(2, 1, 1, [0, 200]);
        Assert.Equal([0, 50, 150, 200], image.Resize(4, 1).Pixels);
    }

    [Fact]
    public void Resize_keeps_channels_separate()
    {
        var image = new RasterImage(2, 2, 3, [10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30]);
        var resized = image.Resize(5, 3);
        Assert.All(Enumerable.Range(0, 15), p => Assert.Equal([10, 20, 30], resized.Pixels[(p * 3)..((p * 3) + 3)]));
    }

    [Fact]
    public void Resize_to_the_same_size_copies()
    {
        var image = new RasterImage(2, 1, 1, [1, 2]);
        var copy = image.Resize(2, 1);
        copy[0, 0, 0] = 9;
        Assert.Equal(1, image[0, 0, 0]);
    }
}
