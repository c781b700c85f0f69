using System.Text.Json;

namespace Stepwise.Hub.Contracts;

/// <summary>A training run as the Hub reports it.</summary>
/// <param name="Id">The run id (32 lower-case hex characters).</param>
/// <param name="Project">The project name.</param>
/// <param name="Name">The display name.</param>
/// <param name="Task">The task, when given.</param>
/// <param name="Status">The status, <see cref="HubRunStatus.Stalled"/> when a running run went quiet.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="EndedAt">When it ended, if it did.</param>
/// <param name="LastSeenAt">Last heartbeat, metrics or status change.</param>
/// <param name="DurationSeconds">From creation to end (or to last seen while running).</param>
/// <param name="Args">The training arguments.</param>
/// <param name="Client">What sent the run.</param>
/// <param name="ClientRunId">The client's idempotency key.</param>
/// <param name="StopRequested">True once someone asked the run to stop.</param>
/// <param name="PrimaryMetric">The metric whose best value is shown.</param>
/// <param name="PrimaryMode">Whether larger or smaller is better.</param>
/// <param name="Best">The best value of the primary metric so far.</param>
/// <param name="StopReason">Why a stop was requested, when one was.</param>
public sealed record RunDto(
    string Id,
    string Project,
    string Name,
    string? Task,
    HubRunStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset LastSeenAt,
    double DurationSeconds,
    IReadOnlyDictionary<string, JsonElement>? Args,
    ClientInfo? Client,
    string? ClientRunId,
    bool StopRequested,
    string? PrimaryMetric,
    MetricMode? PrimaryMode,
    BestMetric? Best,
    string? StopReason = null);
