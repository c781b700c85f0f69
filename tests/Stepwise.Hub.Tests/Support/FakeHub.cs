using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Tests.Support;

/// <summary>
/// Minimal valid Hub answers for a <see cref="FaultServer"/>: enough for a session to create its run,
/// send metrics, heartbeats and uploads, so tests can count and inspect every request and inject
/// faults into single ones.
/// </summary>
internal static class FakeHub
{
    public const string RunId = "0196aaaabbbbccccddddeeeeffff0000";

    /// <summary>Set to make metrics and heartbeat answers carry a stop request.</summary>
    public static Func<HttpContext, Task> Answers(Func<string?>? stopReason = null) => async context =>
    {
        string path = context.Request.Path.Value ?? string.Empty;
        string? stop = stopReason?.Invoke();
        object body = (context.Request.Method, path) switch
        {
            ("GET", "/api/v1/me") => new WhoAmIResponse("k1", "test", KeyScope.Write, "demo"),
            ("POST", _) when path.EndsWith("/runs", StringComparison.Ordinal) => Run(stop),
            ("POST", _) when path.EndsWith("/metrics", StringComparison.Ordinal) => new MetricsBatchResponse(1, stop is not null, stop),
            ("POST", _) when path.EndsWith("/heartbeat", StringComparison.Ordinal) => new HeartbeatResponse(HubRunStatus.Running, stop is not null, DateTimeOffset.UnixEpoch, stop),
            ("POST", _) when path.EndsWith("/checkpoints", StringComparison.Ordinal) =>
                new CheckpointDto("c1", RunId, CheckpointKind.Last, null, "x", 0, new string('0', 64), DateTimeOffset.UnixEpoch),
            ("PATCH", _) => Run(stop),
            ("POST", "/api/v1/events") => new EventsBatchResponse(1),
            _ => new { },
        };
        context.Response.StatusCode = path.EndsWith("/runs", StringComparison.Ordinal) || path.EndsWith("/checkpoints", StringComparison.Ordinal) ? 201 : 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, body.GetType(), HubJson.Options));
    };

    private static RunDto Run(string? stop) => new(
        RunId, "demo", "train", "classify", HubRunStatus.Running, DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch, 0,
        null, null, null, stop is not null, null, null, null, stop);
}
