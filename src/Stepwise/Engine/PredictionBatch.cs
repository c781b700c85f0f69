using Stepwise.Imaging;

namespace Stepwise.Engine;

/// <summary>The inputs of one prediction batch, as handlers of the predictor events see them.</summary>
public sealed class PredictionBatch
{
    internal PredictionBatch(int index, IReadOnlyList<string> sources, IReadOnlyList<int> indices, IReadOnlyList<RasterImage?> images, float[] features, int featureCount)
    {
        Index = index;
        Sources = sources;
        SourceIndices = indices;
        Images = images;
        Features = features;
        FeatureCount = featureCount;
    }

    /// <summary>Batch number, from 0.</summary>
    public int Index { get; }

    /// <summary>Number of inputs in the batch.</summary>
    public int Count => Sources.Count;

    /// <summary>Source of each input (path, <c>file.csv:line</c>, <c>array[i]</c>).</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Position of each input in its source.</summary>
    public IReadOnlyList<int> SourceIndices { get; }

    /// <summary>Each input's image as read, or null for tabular and array inputs.</summary>
    public IReadOnlyList<RasterImage?> Images { get; }

    /// <summary>The model input: Count × FeatureCount values, row-major (filled during preprocessing).</summary>
    public float[] Features { get; }

    /// <summary>Values per input.</summary>
    public int FeatureCount { get; }
}
