namespace Stepwise.Hub.Contracts;

/// <summary>Paths of the Hub REST API; the server maps them and clients build requests from them.</summary>
public static class HubRoutes
{
    /// <summary>Prefix of every REST route.</summary>
    public const string Prefix = "/api/v1";

    /// <summary>Liveness probe.</summary>
    public const string Health = "/healthz";

    /// <summary>Readiness probe (database reachable).</summary>
    public const string Ready = "/readyz";

    /// <summary>The key's identity.</summary>
    public const string Me = Prefix + "/me";

    /// <summary>Project list and creation.</summary>
    public const string Projects = Prefix + "/projects";

    /// <summary>API keys (admin).</summary>
    public const string Keys = Prefix + "/keys";

    /// <summary>Analytics events.</summary>
    public const string Events = Prefix + "/events";

    /// <summary>One project.</summary>
    /// <param name="project">The project name.</param>
    /// <returns>The path.</returns>
    public static string Project(string project) => $"{Projects}/{Uri.EscapeDataString(project)}";

    /// <summary>A project's runs (list, create).</summary>
    /// <param name="project">The project name.</param>
    /// <returns>The path.</returns>
    public static string Runs(string project) => $"{Project(project)}/runs";

    /// <summary>One run.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string Run(string runId) => $"{Prefix}/runs/{Uri.EscapeDataString(runId)}";

    /// <summary>A run's stop request.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string Stop(string runId) => $"{Run(runId)}/stop";

    /// <summary>A run's metrics (post a batch, query series).</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string Metrics(string runId) => $"{Run(runId)}/metrics";

    /// <summary>A run's per-series summary.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string MetricsSummary(string runId) => $"{Run(runId)}/metrics/summary";

    /// <summary>A run's params.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string Params(string runId) => $"{Run(runId)}/params";

    /// <summary>A run's checkpoints (upload, list).</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string Checkpoints(string runId) => $"{Run(runId)}/checkpoints";

    /// <summary>A checkpoint's bytes.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="checkpointId">The checkpoint id.</param>
    /// <returns>The path.</returns>
    public static string CheckpointContent(string runId, string checkpointId) =>
        $"{Checkpoints(runId)}/{Uri.EscapeDataString(checkpointId)}/content";

    /// <summary>A run's heartbeat.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string Heartbeat(string runId) => $"{Run(runId)}/heartbeat";

    /// <summary>One API key (revoke).</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns>The path.</returns>
    public static string Key(string keyId) => $"{Keys}/{Uri.EscapeDataString(keyId)}";
}
