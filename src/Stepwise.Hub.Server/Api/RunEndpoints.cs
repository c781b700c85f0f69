using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>Runs: create, list, get, update status, stop, heartbeat.</summary>
internal static class RunEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="api">The <c>/api/v1</c> group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/projects/{project}/runs", CreateAsync).Accepts<CreateRunRequest>("application/json")
            .Produces<RunDto>(StatusCodes.Status201Created).Produces<RunDto>();
        api.MapGet("/projects/{project}/runs", ListAsync).Produces<RunListResponse>();
        api.MapGet("/runs/{runId}", GetAsync).Produces<RunDto>();
        api.MapPatch("/runs/{runId}", UpdateAsync).Accepts<UpdateRunRequest>("application/json").Produces<RunDto>();
        api.MapPost("/runs/{runId}/stop", StopAsync).Accepts<StopRunRequest>("application/json").Produces<RunDto>(StatusCodes.Status202Accepted);
        api.MapPost("/runs/{runId}/heartbeat", HeartbeatAsync).Accepts<HeartbeatRequest>("application/json").Produces<HeartbeatResponse>();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, HubServices services, string project)
    {
        HubRequest.RequireProject(context, project, write: true);
        var body = await HubRequest.ReadJsonAsync<CreateRunRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        HubRequest.CheckText("name", body.Name, 200, required: true);
        HubRequest.CheckText("task", body.Task, 64, required: false);
        HubRequest.CheckText("clientRunId", body.ClientRunId, 200, required: false);
        HubRequest.CheckText("primaryMetric", body.PrimaryMetric, 200, required: false);
        if (body.Client is { } client)
        {
            HubRequest.CheckText("client.name", client.Name, 100, required: false);
            HubRequest.CheckText("client.version", client.Version, 100, required: false);
            HubRequest.CheckText("client.host", client.Host, 255, required: false);
            HubRequest.CheckText("client.os", client.Os, 255, required: false);
            HubRequest.CheckText("client.agentId", client.AgentId, 200, required: false);
        }

        var now = services.NowMs;
        var row = new RunRow
        {
            Id = HubRequest.NewId(services.Time),
            Project = project,
            Name = body.Name.Trim(),
            Task = body.Task,
            Status = "running",
            CreatedAt = now,
            LastSeenAt = now,
            Args = body.Args is null ? null : JsonSerializer.Serialize(body.Args, HubJson.Options),
            Client = body.Client is null ? null : JsonSerializer.Serialize(body.Client, HubJson.Options),
            ClientRunId = body.ClientRunId,
            PrimaryMetric = body.PrimaryMetric,
            PrimaryMode = body.PrimaryMetric is null ? null : body.PrimaryMode == MetricMode.Min ? "min" : "max",
            AgentId = body.Client?.AgentId,
            Host = body.Client?.Host,
        };
        var (stored, created) = await services.Store.CreateRunAsync(row, context.RequestAborted).ConfigureAwait(false);
        var dto = await RunMapper.ToDtoAsync(stored, services, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(dto, HubJson.Options, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ListAsync(HttpContext context, HubServices services, string project)
    {
        HubRequest.RequireProject(context, project, write: false);
        var query = context.Request.Query;
        var limit = HubRequest.QueryInt(query["limit"], "limit", 50, 1, 500);
        var offset = HubRequest.QueryInt(query["offset"], "offset", 0, 0, int.MaxValue);
        string? status = null;
        bool? stalled = null;
        var statusText = query["status"].ToString();
        if (statusText.Length > 0)
        {
            if (!RunMapper.TryParse(statusText, out var parsed))
            {
                throw HubApiException.Invalid("status", "must be running, finished, stopped, failed or stalled");
            }

            status = parsed == HubRunStatus.Stalled ? "running" : statusText;
            stalled = parsed switch { HubRunStatus.Stalled => true, HubRunStatus.Running => false, _ => null };
        }

        var name = query["name"].ToString();
        HubRequest.CheckText("name", name, 200, required: false);
        var cutoff = services.NowMs - (long)services.Options.StallAfter.TotalMilliseconds;
        var (items, total) = await services.Store.ListRunsAsync(
            new RunListQuery(project, status, stalled, cutoff, name.Length == 0 ? null : name, limit, offset),
            context.RequestAborted).ConfigureAwait(false);
        var dtos = new List<RunDto>(items.Count);
        foreach (var item in items)
        {
            dtos.Add(await RunMapper.ToDtoAsync(item, services, context.RequestAborted).ConfigureAwait(false));
        }

        return Results.Json(new RunListResponse(dtos, total, limit, offset), HubJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        return Results.Json(await RunMapper.ToDtoAsync(run, services, context.RequestAborted).ConfigureAwait(false), HubJson.Options);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: true).ConfigureAwait(false);
        var body = await HubRequest.ReadJsonAsync<UpdateRunRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        if (body.Status is { } status)
        {
            if (status == HubRunStatus.Stalled)
            {
                throw HubApiException.Invalid("status", "stalled is decided by the server; send running, finished, stopped or failed");
            }

            var now = services.NowMs;
            await services.Store.SetRunStatusAsync(run.Id, RunMapper.ToText(status), status == HubRunStatus.Running ? null : now, now, context.RequestAborted).ConfigureAwait(false);
            run = (await services.Store.GetRunAsync(run.Id, context.RequestAborted).ConfigureAwait(false))!;
        }

        return Results.Json(await RunMapper.ToDtoAsync(run, services, context.RequestAborted).ConfigureAwait(false), HubJson.Options);
    }

    private static async Task<IResult> StopAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: true).ConfigureAwait(false);
        var body = context.Request.ContentLength is 0 or null && context.Request.ContentType is null
            ? new StopRunRequest()
            : await HubRequest.ReadJsonAsync<StopRunRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        HubRequest.CheckText("reason", body.Reason, 500, required: false);
        await services.Store.RequestStopAsync(run.Id, body.Reason, context.RequestAborted).ConfigureAwait(false);
        services.Runs.Forget(run.Id);
        run = (await services.Store.GetRunAsync(run.Id, context.RequestAborted).ConfigureAwait(false))!;
        return Results.Json(await RunMapper.ToDtoAsync(run, services, context.RequestAborted).ConfigureAwait(false), HubJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: true).ConfigureAwait(false);
        var body = context.Request.ContentLength is 0 or null && context.Request.ContentType is null
            ? new HeartbeatRequest()
            : await HubRequest.ReadJsonAsync<HeartbeatRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        HubRequest.CheckText("agentId", body.AgentId, 200, required: false);
        HubRequest.CheckText("host", body.Host, 255, required: false);
        var now = services.NowMs;
        await services.Store.HeartbeatAsync(run.Id, body.AgentId, body.Host, now, context.RequestAborted).ConfigureAwait(false);
        run = (await services.Store.GetRunAsync(run.Id, context.RequestAborted).ConfigureAwait(false))!;
        return Results.Json(
            new HeartbeatResponse(RunMapper.EffectiveStatus(run, services), run.StopRequested != 0, DateTimeOffset.FromUnixTimeMilliseconds(now), run.StopReason),
            HubJson.Options);
    }
}
