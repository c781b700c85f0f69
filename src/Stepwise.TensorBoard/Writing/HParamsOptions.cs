namespace Stepwise.TensorBoard.Writing;

/// <summary>Where and how <see cref="SummaryWriter.AddHParams"/> writes.</summary>
public sealed record HParamsOptions
{
    /// <summary>
    /// Null (default): write into the writer's own run, so repeated calls never create new runs and the
    /// metrics may be scalar tags the run already logs. A name: write into the sub-run
    /// <c>&lt;logdir&gt;/&lt;name&gt;</c>, as tensorboardX does (it uses the current time as the name).
    /// </summary>
    public string? RunName { get; init; }

    /// <summary>Step of the metric scalars; 0 when null.</summary>
    public long? Step { get; init; }

    /// <summary>Wall time of all the events; now when null.</summary>
    public double? WallTime { get; init; }

    /// <summary>
    /// Further metric tags listed in the experiment without writing a value, e.g. scalar tags the run
    /// already logs every epoch (<c>metrics/accuracy_top1</c>); the dashboard shows their last value.
    /// </summary>
    public IReadOnlyList<string> MetricTags { get; init; } = [];

    /// <summary>The session's end status.</summary>
    public HParamsStatus Status { get; init; } = HParamsStatus.Success;
}
