using Stepwise.Imaging;

namespace Stepwise.Tasks;

/// <summary>
/// One split (train or val) of a classification dataset: a dense feature matrix and a label per sample.
/// Images are stored as gray values in 0..1, row-major, one row of the matrix per image.
/// </summary>
public sealed class DataSplit
{
    /// <summary>Creates a split over existing arrays (not copied).</summary>
    /// <param name="features">Count x featureCount values, row-major.</param>
    /// <param name="labels">Class index per sample.</param>
    /// <param name="featureCount">Values per sample.</param>
    /// <param name="imageWidth">Image width when the features are a gray image, else null.</param>
    /// <param name="imageHeight">Image height when the features are a gray image, else null.</param>
    /// <param name="sources">File path per sample, or null for generated data.</param>
    public DataSplit(
        float[] features, int[] labels, int featureCount,
        int? imageWidth = null, int? imageHeight = null, IReadOnlyList<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length != (long)labels.Length * featureCount)
        {
            throw new ArgumentException(
                $"{labels.Length} samples of {featureCount} features need {(long)labels.Length * featureCount} values, got {features.Length}.",
                nameof(features));
        }

        if (imageWidth.HasValue != imageHeight.HasValue
            || (imageWidth.HasValue && (long)imageWidth.Value * imageHeight!.Value != featureCount))
        {
            throw new ArgumentException($"Image size {imageWidth}x{imageHeight} does not match {featureCount} features.", nameof(imageWidth));
        }

        if (sources is not null && sources.Count != labels.Length)
        {
            throw new ArgumentException($"{sources.Count} source paths for {labels.Length} samples.", nameof(sources));
        }

        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        Sources = sources;
    }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Values per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Count x FeatureCount values, row-major; images as gray 0..1.</summary>
    public float[] Features { get; }

    /// <summary>Class index per sample.</summary>
    public int[] Labels { get; }

    /// <summary>Image width, or null for tabular data.</summary>
    public int? ImageWidth { get; }

    /// <summary>Image height, or null for tabular data.</summary>
    public int? ImageHeight { get; }

    /// <summary>File path per sample, or null for generated data.</summary>
    public IReadOnlyList<string>? Sources { get; }

    /// <summary>The features of one sample.</summary>
    /// <param name="index">Sample index.</param>
    /// <returns>A view of FeatureCount values.</returns>
    public ReadOnlySpan<float> FeaturesAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Features.AsSpan(index * FeatureCount, FeatureCount);
    }

    /// <summary>Renders one sample as a gray image (for mosaics).</summary>
    /// <param name="index">Sample index.</param>
    /// <returns>A 1-channel image, values 0..1 mapped to 0..255.</returns>
    /// <exception cref="InvalidOperationException">The split holds tabular (CSV) data.</exception>
    public RasterImage ImageAt(int index)
    {
        if (ImageWidth is not int width || ImageHeight is not int height)
        {
            throw new InvalidOperationException("This split holds tabular data, not images.");
        }

        var values = FeaturesAt(index);
        var image = new RasterImage(width, height, 1);
        for (int i = 0; i < values.Length; i++)
        {
            image.Pixels[i] = (byte)Math.Clamp((int)MathF.Round(values[i] * 255f), 0, 255);
        }

        return image;
    }
}
