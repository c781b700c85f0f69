namespace Stepwise.Engine;

/// <summary>Data behind a plot, for loggers that re-draw it natively (e.g. a confusion matrix).</summary>
/// <param name="Type">Kind, e.g. <c>confusion_matrix</c>.</param>
/// <param name="Values">Named values (for a confusion matrix: <c>matrix</c> as <c>double[][]</c>, <c>names</c>).</param>
public sealed record PlotData(string Type, IReadOnlyDictionary<string, object> Values);
