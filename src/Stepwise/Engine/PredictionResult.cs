using Stepwise.Imaging;

namespace Stepwise.Engine;

/// <summary>What the model says about one input.</summary>
public sealed record PredictionResult
{
    /// <summary>Where the input came from: a file path, <c>file.csv:line</c>, or <c>array[i]</c> / <c>image[i]</c> for in-memory inputs.</summary>
    public required string Source { get; init; }

    /// <summary>Position of the input in its source (0-based, counting skipped inputs).</summary>
    public required int Index { get; init; }

    /// <summary>Class names in probability order.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>Probability per class, in class order.</summary>
    public required IReadOnlyList<float> Probabilities { get; init; }

    /// <summary>The most likely class.</summary>
    public ClassScore Top1 => Top5[0];

    /// <summary>The five most likely classes (fewer when the model has fewer), best first; ties keep class order.</summary>
    public required IReadOnlyList<ClassScore> Top5 { get; init; }

    /// <summary>Time spent on this input.</summary>
    public required PredictionSpeed Speed { get; init; }

    /// <summary>The image as read (before conversion to the model's input), or null for tabular and array inputs.</summary>
    public RasterImage? Image { get; init; }
}
