using System.Net;
using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class RunEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_created_run_carries_its_name_task_args_and_client_and_reads_back_the_same(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var args = new Dictionary<string, JsonElement>
        {
            ["epochs"] = JsonSerializer.SerializeToElement(10),
            ["lr0"] = JsonSerializer.SerializeToElement(0.01),
            ["data"] = JsonSerializer.SerializeToElement("shapes"),
        };
        var request = new CreateRunRequest("exp-1", "classify", args, new ClientInfo("stepwise", "0.1.0", "box", "linux", "agent-7"));
        var response = await hub.Admin.PostJsonAsync(HubRoutes.Runs(project), request);
        Assert.Equal($"/api/v1/projects/{project}/runs", HubRoutes.Runs(project));
        var created = await response.ReadAsync<RunDto>(HttpStatusCode.Created);

        Assert.Matches("^[0-9a-f]{32}$", created.Id);
        Assert.Equal(project, created.Project);
        Assert.Equal("exp-1", created.Name);
        Assert.Equal("classify", created.Task);
        Assert.Equal(HubRunStatus.Running, created.Status);
        Assert.Equal(hub.Clock.GetUtcNow(), created.CreatedAt);
        Assert.Null(created.EndedAt);
        Assert.Equal(10, created.Args!["epochs"].GetInt32());
        Assert.Equal(0.01, created.Args["lr0"].GetDouble());
        Assert.Equal("shapes", created.Args["data"].GetString());
        Assert.Equal(request.Client, created.Client);
        Assert.False(created.StopRequested);

        var read = await (await hub.Admin.GetAsync(HubRoutes.Run(created.Id))).ReadAsync<RunDto>();
        Assert.Equal(JsonSerializer.Serialize(created, HubJson.Options), JsonSerializer.Serialize(read, HubJson.Options));
        var project1 = await (await hub.Admin.GetAsync(HubRoutes.Project(project))).ReadAsync<ProjectDto>();
        Assert.Equal(1, project1.RunCount);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task Creating_again_with_the_same_client_run_id_returns_the_existing_run(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var first = await (await hub.Admin.PostJsonAsync(HubRoutes.Runs(project), new CreateRunRequest("a", ClientRunId: "resume-1"))).ReadAsync<RunDto>(HttpStatusCode.Created);
        var again = await (await hub.Admin.PostJsonAsync(HubRoutes.Runs(project), new CreateRunRequest("a", ClientRunId: "resume-1"))).ReadAsync<RunDto>(HttpStatusCode.OK);
        Assert.Equal(first.Id, again.Id);
        var other = await (await hub.Admin.PostJsonAsync(HubRoutes.Runs(project), new CreateRunRequest("a", ClientRunId: "resume-2"))).ReadAsync<RunDto>(HttpStatusCode.Created);
        Assert.NotEqual(first.Id, other.Id);
        var list = await (await hub.Admin.GetAsync(HubRoutes.Runs(project))).ReadAsync<RunListResponse>();
        Assert.Equal(2, list.Total);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task The_list_is_newest_first_with_paging_and_name_and_status_filters(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var ids = new List<string>();
        foreach (var name in (string[])["alpha", "beta", "gamma_1", "gamma%2"])
        {
            ids.Add((await hub.CreateRunAsync(project, name)).Id);
            hub.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await (await hub.Admin.PatchAsync(HubRoutes.Run(ids[1]), JsonContent(new UpdateRunRequest(HubRunStatus.Finished)))).ReadAsync<RunDto>();

        var all = await (await hub.Admin.GetAsync(HubRoutes.Runs(project))).ReadAsync<RunListResponse>();
        Assert.Equal(4, all.Total);
        Assert.Equal(Enumerable.Reverse(ids), all.Items.Select(r => r.Id));

        var page = await (await hub.Admin.GetAsync(HubRoutes.Runs(project) + "?limit=2&offset=1")).ReadAsync<RunListResponse>();
        Assert.Equal([ids[2], ids[1]], page.Items.Select(r => r.Id));
        Assert.Equal((4L, 2, 1), (page.Total, page.Limit, page.Offset));

        var finished = await (await hub.Admin.GetAsync(HubRoutes.Runs(project) + "?status=finished")).ReadAsync<RunListResponse>();
        Assert.Equal([ids[1]], finished.Items.Select(r => r.Id));
        var running = await (await hub.Admin.GetAsync(HubRoutes.Runs(project) + "?status=running")).ReadAsync<RunListResponse>();
        Assert.Equal(3, running.Total);

        var named = await (await hub.Admin.GetAsync(HubRoutes.Runs(project) + "?name=gamma_")).ReadAsync<RunListResponse>();
        Assert.Equal([ids[2]], named.Items.Select(r => r.Id));
        var percent = await (await hub.Admin.GetAsync(HubRoutes.Runs(project) + "?name=" + Uri.EscapeDataString("a%"))).ReadAsync<RunListResponse>();
        Assert.Equal([ids[3]], percent.Items.Select(r => r.Id));
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_run_without_heartbeat_for_the_stall_interval_shows_stalled_until_the_next_heartbeat(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var run = await hub.CreateRunAsync(project);
        hub.Clock.Advance(hub.Options.StallAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(HubRunStatus.Running, (await (await hub.Admin.GetAsync(HubRoutes.Run(run.Id))).ReadAsync<RunDto>()).Status);

        hub.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HubRunStatus.Stalled, (await (await hub.Admin.GetAsync(HubRoutes.Run(run.Id))).ReadAsync<RunDto>()).Status);
        var stalled = await (await hub.Admin.GetAsync(HubRoutes.Runs(project) + "?status=stalled")).ReadAsync<RunListResponse>();
        Assert.Equal([run.Id], stalled.Items.Select(r => r.Id));
        Assert.Equal(0, (await (await hub.Admin.GetAsync(HubRoutes.Runs(project) + "?status=running")).ReadAsync<RunListResponse>()).Total);

        var beat = await (await hub.Admin.PostJsonAsync(HubRoutes.Heartbeat(run.Id), new HeartbeatRequest("agent-1", "box"))).ReadAsync<HeartbeatResponse>();
        Assert.Equal(HubRunStatus.Running, beat.Status);
        Assert.Equal(hub.Clock.GetUtcNow(), beat.ServerTime);
        var read = await (await hub.Admin.GetAsync(HubRoutes.Run(run.Id))).ReadAsync<RunDto>();
        Assert.Equal(HubRunStatus.Running, read.Status);
        Assert.Equal(hub.Clock.GetUtcNow(), read.LastSeenAt);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task Metrics_also_keep_a_run_from_stalling(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        hub.Clock.Advance(hub.Options.StallAfter + TimeSpan.FromSeconds(5));
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), new MetricsBatchRequest([new MetricPoint(0, null, new Dictionary<string, double> { ["loss"] = 1 })]))).ReadAsync<MetricsBatchResponse>();
        Assert.Equal(HubRunStatus.Running, (await (await hub.Admin.GetAsync(HubRoutes.Run(run.Id))).ReadAsync<RunDto>()).Status);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_stop_request_reaches_the_client_through_the_heartbeat(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        Assert.False((await (await hub.Admin.PostJsonAsync(HubRoutes.Heartbeat(run.Id), new HeartbeatRequest())).ReadAsync<HeartbeatResponse>()).StopRequested);
        var stopped = await (await hub.Admin.PostAsync(HubRoutes.Stop(run.Id), null)).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        Assert.True(stopped.StopRequested);
        Assert.True((await (await hub.Admin.PostJsonAsync(HubRoutes.Heartbeat(run.Id), new HeartbeatRequest())).ReadAsync<HeartbeatResponse>()).StopRequested);
        var emptyBeat = await (await hub.Admin.PostAsync(HubRoutes.Heartbeat(run.Id), null)).ReadAsync<HeartbeatResponse>();
        Assert.True(emptyBeat.StopRequested);
        Assert.Null(emptyBeat.StopReason);

        var withReason = await (await hub.Admin.PostJsonAsync(HubRoutes.Stop(run.Id), new StopRunRequest("loss diverged"))).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        Assert.Equal("loss diverged", withReason.StopReason);
        Assert.Equal("loss diverged", (await (await hub.Admin.PostAsync(HubRoutes.Heartbeat(run.Id), null)).ReadAsync<HeartbeatResponse>()).StopReason);
        var metrics = await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), new MetricsBatchRequest([]))).ReadAsync<MetricsBatchResponse>();
        Assert.Equal((true, "loss diverged"), (metrics.StopRequested, metrics.StopReason));
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task Ending_a_run_records_its_end_and_duration_and_running_again_clears_it(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        hub.Clock.Advance(TimeSpan.FromSeconds(42));
        var failed = await (await hub.Admin.PatchAsync(HubRoutes.Run(run.Id), JsonContent(new UpdateRunRequest(HubRunStatus.Failed)))).ReadAsync<RunDto>();
        Assert.Equal(HubRunStatus.Failed, failed.Status);
        Assert.Equal(hub.Clock.GetUtcNow(), failed.EndedAt);
        Assert.Equal(42, failed.DurationSeconds);

        hub.Clock.Advance(hub.Options.StallAfter * 2);
        Assert.Equal(HubRunStatus.Failed, (await (await hub.Admin.GetAsync(HubRoutes.Run(run.Id))).ReadAsync<RunDto>()).Status);
        var resumed = await (await hub.Admin.PatchAsync(HubRoutes.Run(run.Id), JsonContent(new UpdateRunRequest(HubRunStatus.Running)))).ReadAsync<RunDto>();
        Assert.Equal(HubRunStatus.Running, resumed.Status);
        Assert.Null(resumed.EndedAt);
    }

    [Theory]
    [InlineData(TestHub.Sqlite, MetricMode.Max, 0.9, 5)]
    [InlineData(TestHub.Sqlite, MetricMode.Min, 0.2, 0)]
    [PostgresData]
    public async Task The_best_primary_metric_follows_the_mode(string backend, MetricMode mode = MetricMode.Max, double best = 0.9, long step = 5)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var run = await hub.CreateRunAsync(project, request: new CreateRunRequest("r", PrimaryMetric: "val/acc", PrimaryMode: mode));
        Assert.Null(run.Best);
        var points = new List<MetricPoint>
        {
            new(0, null, new Dictionary<string, double> { ["val/acc"] = 0.2 }),
            new(5, null, new Dictionary<string, double> { ["val/acc"] = 0.9 }),
            new(9, null, new Dictionary<string, double> { ["val/acc"] = 0.7 }),
        };
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), new MetricsBatchRequest(points))).ReadAsync<MetricsBatchResponse>();
        var listed = (await (await hub.Admin.GetAsync(HubRoutes.Runs(project))).ReadAsync<RunListResponse>()).Items.Single();
        Assert.Equal(new BestMetric("val/acc", best, step), listed.Best);
        Assert.Equal(mode, listed.PrimaryMode);
    }

    [Theory]
    [InlineData("{\"task\": \"x\"}", "name")]
    [InlineData("{\"name\": \"   \"}", "name")]
    [InlineData("{\"name\": 5}", "name")]
    [InlineData("{\"name\": \"a\\u0001b\"}", "name")]
    [InlineData("{\"name\": \"a\", \"args\": 5}", "args")]
    [InlineData("{\"name\": \"a\", \"client\": {\"host\": 3}}", "client.host")]
    [InlineData("{\"name\": \"a\", \"primaryMode\": \"sideways\"}", "primaryMode")]
    [InlineData("{\"name\": ", "body")]
    public async Task A_bad_run_body_gets_400_naming_the_field(string json, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        await (await hub.Admin.PostRawJsonAsync(HubRoutes.Runs(project), json)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.Admin.GetAsync(HubRoutes.Project(project))).StatusCode);
    }

    [Theory]
    [InlineData("Bad_Name")]
    [InlineData("-x")]
    [InlineData("a b")]
    public async Task A_path_like_or_invalid_project_name_gets_400(string project)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        await (await hub.Admin.PostJsonAsync($"/api/v1/projects/{Uri.EscapeDataString(project)}/runs", new CreateRunRequest("a"))).ProblemAsync(HttpStatusCode.BadRequest, "project");
    }

    [Fact]
    public async Task Setting_the_stalled_status_by_hand_is_refused()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        await (await hub.Admin.PatchAsync(HubRoutes.Run(run.Id), JsonContent(new UpdateRunRequest(HubRunStatus.Stalled)))).ProblemAsync(HttpStatusCode.BadRequest, "status");
        await (await hub.Admin.PatchAsync(HubRoutes.Run(run.Id), new StringContent("{\"status\": \"done\"}", System.Text.Encoding.UTF8, "application/json"))).ProblemAsync(HttpStatusCode.BadRequest, "status");
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?status=paused", "status")]
    public async Task Bad_list_parameters_get_400_naming_them(string query, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        await (await hub.Admin.GetAsync(HubRoutes.Runs(TestHub.NewProject()) + query)).ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task An_unknown_run_gets_404_for_every_run_route()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var id = new string('a', 32);
        await (await hub.Admin.GetAsync(HubRoutes.Run(id))).ProblemAsync(HttpStatusCode.NotFound, "runId");
        await (await hub.Admin.PostAsync(HubRoutes.Stop(id), null)).ProblemAsync(HttpStatusCode.NotFound, "runId");
        await (await hub.Admin.PostAsync(HubRoutes.Heartbeat(id), null)).ProblemAsync(HttpStatusCode.NotFound, "runId");
        await (await hub.Admin.PatchAsync(HubRoutes.Run(id), JsonContent(new UpdateRunRequest(HubRunStatus.Finished)))).ProblemAsync(HttpStatusCode.NotFound, "runId");
    }

    [Fact]
    public async Task A_write_key_works_in_its_project_only()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var mine = TestHub.NewProject();
        var theirs = TestHub.NewProject();
        var (_, key) = await hub.CreateKeyAsync(KeyScope.Write, mine);
        var client = hub.Client(key);
        var run = await hub.CreateRunAsync(mine, client: client);
        Assert.Equal(mine, run.Project);
        await (await client.PostJsonAsync(HubRoutes.Runs(theirs), new CreateRunRequest("x"))).ProblemAsync(HttpStatusCode.Forbidden);
        var foreign = await hub.CreateRunAsync(theirs);
        await (await client.GetAsync(HubRoutes.Run(foreign.Id))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsync(HubRoutes.Stop(foreign.Id), null)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync(HubRoutes.Runs(theirs))).ProblemAsync(HttpStatusCode.Forbidden);
    }

    private static StringContent JsonContent<T>(T value) =>
        new(JsonSerializer.Serialize(value, HubJson.Options), System.Text.Encoding.UTF8, "application/json");
}
