namespace Stepwise.Dvc.Reading;

/// <summary>A metric's rows from <c>plots/metrics/&lt;name&gt;.tsv</c>.</summary>
/// <param name="Name">The metric name: the file's path under <c>plots/metrics</c> without <c>.tsv</c> (<c>train/loss</c>).</param>
/// <param name="Points">The rows in file order.</param>
public sealed record DvcLiveSeries(string Name, IReadOnlyList<DvcLivePoint> Points);
