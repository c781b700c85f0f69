namespace Stepwise.TensorBoard.Model;

/// <summary>
/// One chart of the Custom Scalars dashboard: a multi-line chart of tag regular expressions, or a margin
/// chart of (value, lower, upper) tag triples.
/// </summary>
public sealed record CustomScalarChart
{
    /// <summary>Chart title.</summary>
    public required string Title { get; init; }

    /// <summary>Multi-line chart: tag regular expressions, one line per matching tag.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Margin chart: series of (value, lower, upper) tags; when non-empty the chart is a margin chart.</summary>
    public IReadOnlyList<(string Value, string Lower, string Upper)> Margins { get; init; } = [];
}
