namespace Stepwise.Hub.Server.Api;

/// <summary>What the metric hot path needs to know about a run.</summary>
/// <param name="Id">The run id.</param>
/// <param name="Project">Its project (never changes).</param>
/// <param name="StopRequested">True once a stop was requested.</param>
/// <param name="StopReason">Why, when given.</param>
internal sealed record RunState(string Id, string Project, bool StopRequested, string? StopReason);
