namespace Stepwise.Dvc.Tests;

/// <summary>Tests of <see cref="Live"/>: golden scenarios, metrics, params, plots, resume, DVC and Git.</summary>
public sealed partial class LiveTests
{
}
