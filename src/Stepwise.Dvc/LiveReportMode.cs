namespace Stepwise.Dvc;

/// <summary>Which report <see cref="Live"/> renders next to its outputs (the reference's <c>report</c> parameter).</summary>
public enum LiveReportMode
{
    /// <summary>No report (<c>report=None</c>).</summary>
    None,

    /// <summary><c>report.html</c> with Vega-Lite plots, tables and embedded images.</summary>
    Html,

    /// <summary><c>report.md</c> with tables, PNG plots in <c>static/</c> and embedded images.</summary>
    Md,
}
