using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>Turns stored rows into wire types; decides the effective status (stalled).</summary>
internal static class RunMapper
{
    /// <summary>The stored status text of a status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The text.</returns>
    public static string ToText(HubRunStatus status) => status switch
    {
        HubRunStatus.Running => "running",
        HubRunStatus.Finished => "finished",
        HubRunStatus.Stopped => "stopped",
        HubRunStatus.Failed => "failed",
        _ => "stalled",
    };

    /// <summary>Parses stored or query status text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="status">The status.</param>
    /// <returns>False when unknown.</returns>
    public static bool TryParse(string? text, out HubRunStatus status)
    {
        status = text switch
        {
            "running" => HubRunStatus.Running,
            "finished" => HubRunStatus.Finished,
            "stopped" => HubRunStatus.Stopped,
            "failed" => HubRunStatus.Failed,
            "stalled" => HubRunStatus.Stalled,
            _ => (HubRunStatus)(-1),
        };
        return Enum.IsDefined(status);
    }

    /// <summary>The status a client sees: running runs quiet for the stall interval are stalled.</summary>
    /// <param name="run">The row.</param>
    /// <param name="services">Clock and settings.</param>
    /// <returns>The status.</returns>
    public static HubRunStatus EffectiveStatus(RunRow run, HubServices services)
    {
        if (!TryParse(run.Status, out var status))
        {
            throw new InvalidDataException($"Run '{run.Id}' has an unknown status '{run.Status}' in the database.");
        }

        if (status == HubRunStatus.Running && services.NowMs - run.LastSeenAt > (long)services.Options.StallAfter.TotalMilliseconds)
        {
            return HubRunStatus.Stalled;
        }

        return status;
    }

    /// <summary>Builds a run's wire form (reads the best primary metric value).</summary>
    /// <param name="run">The row.</param>
    /// <param name="services">Services.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The run.</returns>
    public static async Task<RunDto> ToDtoAsync(RunRow run, HubServices services, CancellationToken cancellationToken)
    {
        var status = EffectiveStatus(run, services);
        var now = services.NowMs;
        var end = run.EndedAt ?? (status == HubRunStatus.Running ? Math.Max(now, run.LastSeenAt) : run.LastSeenAt);
        MetricMode? mode = run.PrimaryMode switch { "max" => MetricMode.Max, "min" => MetricMode.Min, _ => null };
        BestMetric? best = null;
        if (run.PrimaryMetric is not null)
        {
            var row = await services.Store.GetBestAsync(run.Id, run.PrimaryMetric, mode != MetricMode.Min, cancellationToken).ConfigureAwait(false);
            if (row is not null)
            {
                best = new BestMetric(row.Name, row.Value, row.Step);
            }
        }

        return new RunDto(
            run.Id,
            run.Project,
            run.Name,
            run.Task,
            status,
            DateTimeOffset.FromUnixTimeMilliseconds(run.CreatedAt),
            run.EndedAt is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(run.LastSeenAt),
            Math.Max(0, end - run.CreatedAt) / 1000.0,
            run.Args is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(run.Args, HubJson.Options),
            run.Client is null ? null : JsonSerializer.Deserialize<ClientInfo>(run.Client, HubJson.Options),
            run.ClientRunId,
            run.StopRequested != 0,
            run.PrimaryMetric,
            mode,
            best,
            run.StopReason);
    }

    /// <summary>A checkpoint's wire form.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The checkpoint.</returns>
    public static CheckpointDto ToDto(CheckpointRow row) => new(
        row.Id,
        row.RunId,
        row.Kind switch { "best" => CheckpointKind.Best, "final" => CheckpointKind.Final, _ => CheckpointKind.Last },
        row.Epoch is { } epoch ? (int)epoch : null,
        row.Name,
        row.Size,
        row.Sha256,
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
        row.MetricName,
        row.MetricValue);

    /// <summary>A project's wire form.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The project.</returns>
    public static ProjectDto ToDto(ProjectRow row) =>
        new(row.Name, row.Description, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), row.RunCount);
}
