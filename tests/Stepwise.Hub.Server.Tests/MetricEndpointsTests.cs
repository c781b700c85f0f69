using System.Net;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class MetricEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    private static MetricsBatchRequest Batch(params (long Step, int? Epoch, (string Name, double Value)[] Values)[] points) =>
        new([.. points.Select(p => new MetricPoint(p.Step, p.Epoch, p.Values.ToDictionary(v => v.Name, v => v.Value)))]);

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_batch_is_stored_and_read_back_per_series_in_step_order(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var response = await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), Batch(
            (1, 0, [("train/loss", 0.9), ("val/acc", 0.5)]),
            (0, 0, [("train/loss", 1.2)]),
            (2, 1, [("train/loss", 0.7), ("val/acc", 0.75)])));
        var answer = await response.ReadAsync<MetricsBatchResponse>();
        Assert.Equal(5, answer.Received);
        Assert.False(answer.StopRequested);

        var metrics = await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>();
        Assert.Equal(["train/loss", "val/acc"], metrics.Series.Select(s => s.Name));
        var loss = metrics.Series[0];
        Assert.Equal([0L, 1, 2], loss.Points.Select(p => p.Step));
        Assert.Equal([1.2, 0.9, 0.7], loss.Points.Select(p => p.Value));
        Assert.Equal([0, 0, 1], loss.Points.Select(p => p.Epoch));
        Assert.Equal(3, loss.TotalPoints);
        Assert.False(loss.Downsampled);
        Assert.Equal([0.5, 0.75], metrics.Series[1].Points.Select(p => p.Value));
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task The_same_run_step_and_name_sent_twice_is_stored_once_keeping_the_first_value(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var batch = Batch((0, null, [("loss", 1.0)]), (1, null, [("loss", 0.5)]));
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), batch)).ReadAsync<MetricsBatchResponse>();
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), batch)).ReadAsync<MetricsBatchResponse>();
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), Batch((1, null, [("loss", 99.0)]), (2, null, [("loss", 0.25)])))).ReadAsync<MetricsBatchResponse>();

        var series = (await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id) + "?name=loss")).ReadAsync<MetricsResponse>()).Series.Single();
        Assert.Equal([0L, 1, 2], series.Points.Select(p => p.Step));
        Assert.Equal([1.0, 0.5, 0.25], series.Points.Select(p => p.Value));
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task One_series_is_downsampled_for_charts_keeping_ends_and_spikes(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var points = Enumerable.Range(0, 1000).Select(i => new MetricPoint(i, null, new Dictionary<string, double>
        {
            ["lr"] = i == 500 ? 50.0 : i / 1000.0,
            ["other"] = 1,
        })).ToList();
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), new MetricsBatchRequest(points))).ReadAsync<MetricsBatchResponse>();

        var response = await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id) + "?name=lr&maxPoints=100")).ReadAsync<MetricsResponse>();
        var series = Assert.Single(response.Series);
        Assert.Equal("lr", series.Name);
        Assert.True(series.Downsampled);
        Assert.Equal(1000, series.TotalPoints);
        Assert.InRange(series.Points.Count, 10, 100);
        Assert.Equal(0, series.Points[0].Step);
        Assert.Equal(999, series.Points[^1].Step);
        Assert.Contains(series.Points, p => p.Step == 500 && p.Value == 50.0);
        Assert.Equal(series.Points.Select(p => p.Step).Order(), series.Points.Select(p => p.Step));
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task The_summary_gives_count_last_min_and_max_per_series(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), Batch(
            (0, null, [("acc", 0.2)]), (5, null, [("acc", 0.9)]), (9, null, [("acc", 0.7)])))).ReadAsync<MetricsBatchResponse>();

        var summary = await (await hub.Admin.GetAsync(HubRoutes.MetricsSummary(run.Id))).ReadAsync<List<MetricSummary>>();
        var acc = Assert.Single(summary);
        Assert.Equal(new MetricSummary("acc", 3, 9, 0.7, 0.2, 0.9), acc);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_stop_request_is_reported_in_the_metrics_answer(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        Assert.Equal(HttpStatusCode.Accepted, (await hub.Admin.PostAsync(HubRoutes.Stop(run.Id), null)).StatusCode);
        var answer = await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), Batch((0, null, [("loss", 1.0)])))).ReadAsync<MetricsBatchResponse>();
        Assert.True(answer.StopRequested);
    }

    [Theory]
    [InlineData(TestHub.Sqlite, "{\"points\": [", "body")]
    [InlineData(TestHub.Sqlite, "{\"points\": [{\"step\": 0, \"values\": {\"loss\": \"high\"}}]}", "points[0].values.loss")]
    [InlineData(TestHub.Sqlite, "{\"points\": [{\"step\": \"zero\", \"values\": {}}]}", "points[0].step")]
    [InlineData(TestHub.Sqlite, "{\"points\": [{\"step\": 0, \"values\": {\"a\": 1}}, {\"step\": -3, \"values\": {\"loss\": 1}}]}", "points[1].step")]
    [InlineData(TestHub.Sqlite, "{\"points\": [{\"step\": 0, \"values\": {\"loss\": null}}]}", "points[0].values.loss")]
    [InlineData(TestHub.Sqlite, "{\"points\": [{\"step\": 0}]}", "points[0].values")]
    [InlineData(TestHub.Sqlite, "{}", "points")]
    [InlineData(TestHub.Sqlite, "{\"points\": [{\"step\": 0, \"values\": {\"\": 1}}]}", "points[0].values")]
    [InlineData(TestHub.Sqlite, "[1, 2]", "body")]
    public async Task Malformed_or_mistyped_batches_get_400_naming_the_field_and_store_nothing(string backend, string json, string field)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var problem = await (await hub.Admin.PostRawJsonAsync(HubRoutes.Metrics(run.Id), json)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
        var metrics = await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>();
        Assert.Empty(metrics.Series);
    }

    [Fact]
    public async Task A_batch_over_the_value_limit_gets_413()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var points = Enumerable.Range(0, hub.Options.MaxValuesPerBatch + 1).Select(i => new MetricPoint(i, null, new Dictionary<string, double> { ["x"] = i })).ToList();
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), new MetricsBatchRequest(points))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "points");
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var response = await hub.Admin.PostAsync(HubRoutes.Metrics(run.Id), new StringContent("step=1", System.Text.Encoding.UTF8, "text/plain"));
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("not-a-run")]
    public async Task Metrics_for_an_unknown_run_get_404(string runId)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var response = await hub.Admin.PostRawJsonAsync($"/api/v1/runs/{runId}/metrics", "{\"points\": []}");
        await response.ProblemAsync(HttpStatusCode.NotFound, "runId");
    }

    [Fact]
    public async Task A_read_key_cannot_post_metrics_and_another_projects_key_cannot_read_them()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var run = await hub.CreateRunAsync(project);
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), Batch((0, null, [("loss", 1.0)])))).ReadAsync<MetricsBatchResponse>();
        var (_, reader) = await hub.CreateKeyAsync(KeyScope.Read, project);
        var (_, stranger) = await hub.CreateKeyAsync(KeyScope.Write, TestHub.NewProject());

        await (await hub.Client(reader).PostJsonAsync(HubRoutes.Metrics(run.Id), Batch((1, null, [("loss", 2.0)])))).ProblemAsync(HttpStatusCode.Forbidden);
        var readable = await (await hub.Client(reader).GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>();
        Assert.Single(readable.Series.Single().Points);
        var denied = await hub.Client(stranger).GetAsync(HubRoutes.Metrics(run.Id));
        var problem = await denied.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("loss", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(problem.Detail);
    }
}
