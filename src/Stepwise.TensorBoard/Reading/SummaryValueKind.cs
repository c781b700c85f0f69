namespace Stepwise.TensorBoard.Reading;

/// <summary>How a summary value was recognised.</summary>
public enum SummaryValueKind
{
    /// <summary>Not recognised (see the metadata and tensor).</summary>
    Unknown = 0,

    /// <summary>A scalar: <c>simple_value</c> or a one-element tensor of the <c>scalars</c> plugin.</summary>
    Scalar = 1,

    /// <summary>An image.</summary>
    Image = 2,

    /// <summary>A histogram.</summary>
    Histogram = 3,

    /// <summary>Text (<c>text</c> plugin string tensor).</summary>
    Text = 4,

    /// <summary>One of the three hparams summaries.</summary>
    HParams = 5,

    /// <summary>A precision-recall curve.</summary>
    PrCurve = 6,

    /// <summary>Audio.</summary>
    Audio = 7,

    /// <summary>The Custom Scalars layout.</summary>
    CustomScalars = 8,

    /// <summary>Another tensor.</summary>
    Tensor = 9,
}
