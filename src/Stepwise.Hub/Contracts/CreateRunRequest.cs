using System.Text.Json;

namespace Stepwise.Hub.Contracts;

/// <summary>Body of a run creation.</summary>
/// <param name="Name">The run's display name.</param>
/// <param name="Task">The task (e.g. <c>classify</c>).</param>
/// <param name="Args">The training arguments.</param>
/// <param name="Client">What sent the run.</param>
/// <param name="ClientRunId">Idempotency key: creating again with the same key in the project returns the existing run.</param>
/// <param name="PrimaryMetric">The metric whose best value the runs list shows.</param>
/// <param name="PrimaryMode">Whether larger or smaller <paramref name="PrimaryMetric"/> is better.</param>
public sealed record CreateRunRequest(
    string Name,
    string? Task = null,
    IReadOnlyDictionary<string, JsonElement>? Args = null,
    ClientInfo? Client = null,
    string? ClientRunId = null,
    string? PrimaryMetric = null,
    MetricMode? PrimaryMode = null);
