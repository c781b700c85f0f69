namespace Stepwise.Engine;

/// <summary>What a model's input features are.</summary>
public enum ModelInputKind
{
    /// <summary>A gray image, one feature per pixel (values 0..1, row-major).</summary>
    Image,

    /// <summary>Numeric columns of a table (CSV), used as they are.</summary>
    Tabular,
}
