using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Session;

/// <summary>How a run ended, for <see cref="HubSession.FinishAsync"/>.</summary>
/// <param name="Status">Finished, stopped or failed; null leaves the run's status as it is (a replay).</param>
/// <param name="BestCheckpoint">The best checkpoint to upload last (null or missing: none).</param>
/// <param name="Epoch">The epoch of the best checkpoint.</param>
/// <param name="MetricName">The metric that goes with it, e.g. <c>metrics/accuracy_top1</c>.</param>
/// <param name="MetricValue">Its value.</param>
public sealed record HubFinish(HubRunStatus? Status, string? BestCheckpoint = null, int? Epoch = null, string? MetricName = null, double? MetricValue = null);
