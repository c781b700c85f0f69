using Stepwise.TensorBoard.Model;

namespace Stepwise.TensorBoard.Reading;

/// <summary>One decoded <c>Summary.Value</c>.</summary>
public sealed class SummaryValue
{
    /// <summary>The tag.</summary>
    public string Tag { get; init; } = string.Empty;

    /// <summary>What the value was recognised as.</summary>
    public SummaryValueKind Kind { get; init; }

    /// <summary>The number of a scalar (float32 values widened), NaN for other kinds.</summary>
    public double Scalar { get; init; } = double.NaN;

    /// <summary>The image, for images.</summary>
    public ImageData? Image { get; init; }

    /// <summary>The histogram, for histograms.</summary>
    public HistogramData? Histogram { get; init; }

    /// <summary>The text, for text summaries (first string element, UTF-8).</summary>
    public string? Text { get; init; }

    /// <summary>The decoded plugin content, for hparams summaries.</summary>
    public HParamsData? HParams { get; init; }

    /// <summary>The curve, for PR curves.</summary>
    public PrCurveData? PrCurve { get; init; }

    /// <summary>The tensor, when the value carried one (text, tensor scalars, PR curves, layouts).</summary>
    public TensorData? Tensor { get; init; }

    /// <summary>The metadata, when present.</summary>
    public PluginMetadata? Metadata { get; init; }

    /// <summary>The plugin name of the metadata, or empty.</summary>
    public string PluginName => Metadata?.PluginName ?? string.Empty;
}
