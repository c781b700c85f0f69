namespace Stepwise.Dvc.Reading;

/// <summary>An image under <c>plots/images</c>.</summary>
/// <param name="Name">The path under <c>plots/images</c>, '/'-separated (<c>samples/3.png</c>).</param>
/// <param name="Step">The step: the file name when it is a whole number (the step-slider convention), else 0.</param>
/// <param name="Path">The file.</param>
public sealed record DvcLiveImage(string Name, long Step, string Path);
