using Stepwise.TensorBoard.Model;

namespace Stepwise.TensorBoard.Reading;

/// <summary>One decoded <c>Summary.Value</c>.</summary>
public sealed class SummaryValue
{
    // Only one kind-specific payload exists per value, so one field holds it (keeps the object small).
    private readonly object? _payload;

    internal SummaryValue(string tag, SummaryValueKind kind, double scalar, PluginMetadata? metadata, TensorData? tensor, object? payload)
    {
        Tag = tag;
        Kind = kind;
        Scalar = scalar;
        Metadata = metadata;
        Tensor = tensor;
        _payload = payload;
    }

    /// <summary>The tag.</summary>
    public string Tag { get; }

    /// <summary>What the value was recognised as.</summary>
    public SummaryValueKind Kind { get; }

    /// <summary>The number of a scalar (float32 values widened), NaN for other kinds.</summary>
    public double Scalar { get; }

    /// <summary>The image, for images.</summary>
    public ImageData? Image => _payload as ImageData;

    /// <summary>The histogram, for histograms.</summary>
    public HistogramData? Histogram => _payload as HistogramData;

    /// <summary>The text, for text summaries (first string element, UTF-8).</summary>
    public string? Text => _payload as string;

    /// <summary>The decoded plugin content, for hparams summaries.</summary>
    public HParamsData? HParams => _payload as HParamsData;

    /// <summary>The curve, for PR curves.</summary>
    public PrCurveData? PrCurve => _payload as PrCurveData;

    /// <summary>The tensor, when the value carried one (text, tensor scalars, PR curves, layouts).</summary>
    public TensorData? Tensor { get; }

    /// <summary>The metadata, when present.</summary>
    public PluginMetadata? Metadata { get; }

    /// <summary>The plugin name of the metadata, or empty.</summary>
    public string PluginName => Metadata?.PluginName ?? string.Empty;
}
