namespace Stepwise.Hub.Spool;

/// <summary>Which Hub run a spool belongs to, with what it takes to create that run later.</summary>
/// <param name="ClientRunId">The client's run id (32 hex), the server's idempotency key for run creation.</param>
/// <param name="Project">The Hub project, null until known (the API key's project is asked for first).</param>
/// <param name="CreateRequestJson">The run-creation request body, so a replay can create the run if it never reached the server.</param>
/// <param name="RunId">The server's run id once known.</param>
internal sealed record SpoolRun(string ClientRunId, string? Project, string CreateRequestJson, string? RunId);
