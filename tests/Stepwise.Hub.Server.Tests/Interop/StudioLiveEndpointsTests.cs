using System.Net;
using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Interop;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests.Interop;

public sealed class StudioLiveEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    private const string Baseline = "f2e203645a327560d3838b7d8bac89d6ea7377dd";

    private static string Event(string type, string extra = "", string name = "exp") =>
        $$"""{"type": "{{type}}", "repo_url": "https://github.com/example/repo.git", "baseline_sha": "{{Baseline}}", "name": "{{name}}", "client": "dvclive"{{extra}}}""";

    private static async Task<RunDto> SingleRunAsync(TestHub hub, string project)
    {
        var list = await (await hub.Admin.GetAsync(HubRoutes.Runs(project))).ReadAsync<RunListResponse>();
        return Assert.Single(list.Items);
    }

    private static async Task<Dictionary<string, List<(long Step, double Value)>>> SeriesAsync(TestHub hub, string runId)
    {
        var metrics = await (await hub.Admin.GetAsync(HubRoutes.Metrics(runId))).ReadAsync<MetricsResponse>();
        return metrics.Series.ToDictionary(s => s.Name, s => s.Points.Select(p => (p.Step, p.Value)).ToList(), StringComparer.Ordinal);
    }

    private static IEnumerable<(string Path, long Step, byte[] Bytes)> GoldenImages()
    {
        foreach (var (_, _, body) in StudioClient.GoldenEvents())
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (!root.TryGetProperty("plots", out var plots))
            {
                continue;
            }

            foreach (var plot in plots.EnumerateObject())
            {
                if (plot.Value.TryGetProperty("image", out var image))
                {
                    yield return (plot.Name, root.GetProperty("step").GetInt64(), Convert.FromBase64String(image.GetString()!));
                }
            }
        }
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task Replaying_the_golden_studio_events_in_order_builds_one_finished_run_with_its_series_params_and_images(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var (_, token) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var studio = hub.Client(null);
        var events = StudioClient.GoldenEvents();
        Assert.Equal(8, events.Count);

        string? runId = null;
        foreach (var (file, path, body) in events)
        {
            var response = await StudioClient.PostAsync(studio, token, body, path);
            var answer = await response.ReadAsync<StudioLiveResponse>();
            Assert.Equal(project, answer.Project);
            Assert.Equal(file == "00_start.json", answer.Created);
            runId ??= answer.RunId;
            Assert.Equal(runId, answer.RunId);
            if (file == "00_start.json")
            {
                var started = await SingleRunAsync(hub, project);
                Assert.Equal(("studio-exp", HubRunStatus.Running), (started.Name, started.Status));
            }
        }

        var run = await SingleRunAsync(hub, project);
        Assert.Equal(runId, run.Id);
        Assert.Equal(HubRunStatus.Finished, run.Status);
        Assert.NotNull(run.EndedAt);
        Assert.Equal("https://github.com/example/repo.git", run.Args!["repo_url"].GetString());
        Assert.Equal(Baseline, run.Args["baseline_sha"].GetString());
        Assert.Equal("hello studio", run.Args["message"].GetString());
        Assert.Equal("fc5b6b79538f8f389afefc54f67915b1de553df0", run.Args["experiment_rev"].GetString());
        Assert.Equal("dvclive", run.Client?.Name);

        var series = await SeriesAsync(hub, run.Id);
        Assert.Equal(["loss", "train/acc"], series.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([(0L, 1.0), (1L, 0.5)], series["loss"]);
        Assert.Equal([(0L, 0.5), (1L, 0.6)], series["train/acc"]);

        var parameters = await (await hub.Admin.GetAsync(HubRoutes.Params(run.Id))).ReadAsync<ParamsDto>();
        Assert.Equal(2, Assert.Single(parameters.Params).Value.GetInt32());

        var images = await (await hub.Admin.GetAsync(RunImageEndpoints.Images(run.Id))).ReadAsync<List<RunImageDto>>();
        var expected = GoldenImages().ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.Select(e => ("img.png", e.Step, (long)e.Bytes.Length)), images.Select(i => (i.Name, i.Step, i.Size)));
        foreach (var (_, step, bytes) in expected)
        {
            var download = await hub.Admin.GetAsync(RunImageEndpoints.Content(run.Id, "img.png", step));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Replaying_the_golden_events_twice_creates_nothing_new()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var (_, token) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var studio = hub.Client(null);
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var (_, path, body) in StudioClient.GoldenEvents())
            {
                Assert.Equal(HttpStatusCode.OK, (await StudioClient.PostAsync(studio, token, body, path)).StatusCode);
            }
        }

        var run = await SingleRunAsync(hub, project);
        Assert.Equal(HubRunStatus.Finished, run.Status);
        var series = await SeriesAsync(hub, run.Id);
        Assert.Equal(2, series["loss"].Count);
        Assert.Equal(2, series["train/acc"].Count);
        Assert.Equal(2, (await (await hub.Admin.GetAsync(RunImageEndpoints.Images(run.Id))).ReadAsync<List<RunImageDto>>()).Count);
    }

    [Fact]
    public async Task An_admin_key_writes_to_a_project_named_after_the_repository_and_a_new_start_reopens_the_run()
    {
        await using var hub = await TestHub.StartAsync();
        var studio = hub.Client(null);
        var first = await (await StudioClient.PostAsync(studio, hub.AdminKey, Event("start", name: "a"))).ReadAsync<StudioLiveResponse>();
        Assert.Equal(("repo", true), (first.Project, first.Created));
        await (await StudioClient.PostAsync(studio, hub.AdminKey, Event("done", name: "a"))).ReadAsync<StudioLiveResponse>();
        Assert.Equal(HubRunStatus.Finished, (await SingleRunAsync(hub, "repo")).Status);

        var again = await (await StudioClient.PostAsync(studio, hub.AdminKey, Event("start", name: "a"))).ReadAsync<StudioLiveResponse>();
        Assert.Equal((first.RunId, false), (again.RunId, again.Created));
        var reopened = await SingleRunAsync(hub, "repo");
        Assert.Equal(HubRunStatus.Running, reopened.Status);
        Assert.Null(reopened.EndedAt);

        var other = await (await StudioClient.PostAsync(studio, hub.AdminKey, Event("start", name: "b"))).ReadAsync<StudioLiveResponse>();
        Assert.NotEqual(first.RunId, other.RunId);
    }

    [Fact]
    public async Task Data_without_a_start_creates_the_run_and_skips_non_finite_and_text_values()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var (_, token) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var body = Event("data", """
            , "step": 3,
              "metrics": {"dvclive/metrics.json": {"data": {"loss": "nan", "f1": 0.25, "note": "text", "nested": {"deep": {"x": 2}}, "step": 3}}},
              "plots": {"dvclive/plots/metrics/val/loss.tsv": {"data": [{"step": 2, "loss": "inf"}, {"step": 3, "loss": 0.75}]},
                        "elsewhere/custom.tsv": {"data": [{"step": 1, "a": 1.5, "b": 2.5}]}}
            """);
        await (await StudioClient.PostAsync(hub.Client(null), token, body)).ReadAsync<StudioLiveResponse>();
        var run = await SingleRunAsync(hub, project);
        Assert.Equal(HubRunStatus.Running, run.Status);
        var series = await SeriesAsync(hub, run.Id);
        Assert.Equal(["elsewhere/custom/a", "elsewhere/custom/b", "f1", "nested/deep/x", "val/loss"], series.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([(3L, 0.75)], series["val/loss"]);
        Assert.Equal([(3L, 0.25)], series["f1"]);
        Assert.Equal([(1L, 1.5)], series["elsewhere/custom/a"]);
    }

    [Fact]
    public async Task A_missing_or_unknown_token_gets_401_and_a_read_key_gets_403()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var (_, readKey) = await hub.CreateKeyAsync(KeyScope.Read, project);
        var studio = hub.Client(null);
        var body = Event("start");

        var anonymous = await studio.PostAsync(StudioLiveEndpoints.Route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await anonymous.ProblemAsync(HttpStatusCode.Unauthorized, HubHeaders.ApiKey);
        await (await StudioClient.PostAsync(studio, "swk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", body)).ProblemAsync(HttpStatusCode.Unauthorized, HubHeaders.ApiKey);
        await (await StudioClient.PostAsync(studio, readKey, body)).ProblemAsync(HttpStatusCode.Forbidden);

        var list = await (await hub.Admin.GetAsync(HubRoutes.Runs(project))).ReadAsync<RunListResponse>();
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415_or_400()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var (_, token) = await hub.CreateKeyAsync(KeyScope.Write, TestHub.NewProject());
        var studio = hub.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, StudioLiveEndpoints.Route) { Content = new StringContent("type=start") };
        request.Headers.Authorization = new("token", token);
        await (await studio.SendAsync(request)).ProblemAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type");
        await (await StudioClient.PostAsync(studio, token, "{\"type\": ")).ProblemAsync(HttpStatusCode.BadRequest, "body");
    }
}
