namespace Stepwise.Dvc;

/// <summary>Arguments passed to the curve behind <see cref="Live.LogSklearnPlot{TLabel, TPrediction}"/> (the reference's <c>**kwargs</c>).</summary>
public sealed class SklearnPlotOptions
{
    /// <summary>The label of the positive class (<c>pos_label</c>); 1 / true by default.</summary>
    public object? PositiveLabel { get; init; }

    /// <summary>ROC only: drop thresholds that do not change the curve's shape (<c>drop_intermediate</c>, default true).</summary>
    public bool DropIntermediate { get; init; } = true;

    /// <summary>Calibration only: number of bins (<c>n_bins</c>, default 5).</summary>
    public int Bins { get; init; } = 5;

    /// <summary>Calibration only: <c>uniform</c> (default) or <c>quantile</c> bins.</summary>
    public string Strategy { get; init; } = "uniform";
}
