using System.Net;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests.Interop;

public sealed class StudioEventSchemaTests(HubServers servers) : IClassFixture<HubServers>
{
    private const string Sha = "f2e203645a327560d3838b7d8bac89d6ea7377dd";
    private const string Common = "\"repo_url\": \"https://github.com/example/repo.git\", \"baseline_sha\": \"" + Sha + "\", \"name\": \"bad\", \"client\": \"dvclive\"";

    private static string B(string body) => body.Replace("@SHA", Sha, StringComparison.Ordinal).Replace("@COMMON", Common, StringComparison.Ordinal);

    public static TheoryData<string, string> InvalidBodies() => new()
    {
        { B("""{"repo_url": "r", "baseline_sha": "@SHA"}"""), "type" },
        { B("""{"type": "interrupt", "repo_url": "r", "baseline_sha": "@SHA"}"""), "type" },
        { B("""{"type": "start", "baseline_sha": "@SHA"}"""), "repo_url" },
        { B("""{"type": "start", "repo_url": "r"}"""), "baseline_sha" },
        { B("""{"type": "start", "repo_url": "r", "baseline_sha": "zz03645a327560d3838b7d8bac89d6ea7377dd00"}"""), "baseline_sha" },
        { B("""{"type": "start", "repo_url": "r", "baseline_sha": "abc"}"""), "baseline_sha" },
        { B("""{"type": "start", "repo_url": 5, "baseline_sha": "@SHA"}"""), "repo_url" },
        { B("""{"type": "start", @COMMON, "step": 0}"""), "step" },
        { B("""{"type": "start", @COMMON, "colour": "red"}"""), "colour" },
        { B("""{"type": "data", @COMMON}"""), "step" },
        { B("""{"type": "data", @COMMON, "step": "1"}"""), "step" },
        { B("""{"type": "data", @COMMON, "step": 1.5}"""), "step" },
        { B("""{"type": "data", @COMMON, "step": 0, "params": {"dvclive/params.yaml": [1]}}"""), "params.dvclive/params.yaml" },
        { B("""{"type": "data", @COMMON, "step": 0, "metrics": {"m.json": {"values": {}}}}"""), "metrics.m.json.values" },
        { B("""{"type": "data", @COMMON, "step": 0, "metrics": {"m.json": {"data": 3}}}"""), "metrics.m.json.data" },
        { B("""{"type": "data", @COMMON, "step": 0, "plots": {"a.tsv": {"data": [1]}}}"""), "plots.a.tsv.data[0]" },
        { B("""{"type": "data", @COMMON, "step": 0, "plots": {"a.tsv": {"data": {}}}}"""), "plots.a.tsv.data" },
        { B("""{"type": "data", @COMMON, "step": 0, "plots": {"a.png": {"image": "AAAA", "data": []}}}"""), "plots.a.png" },
        { B("""{"type": "data", @COMMON, "step": 0, "plots": {"a.png": {"image": 7}}}"""), "plots.a.png.image" },
        { B("""{"type": "data", @COMMON, "step": 0, "plots": {"a.png": {"image": "not base64!"}}}"""), "plots.a.png.image" },
        { B("""{"type": "data", @COMMON, "step": -1}"""), "step" },
        { B("""{"type": "data", @COMMON, "step": 0, "errors": [{"cls": "E"}]}"""), "errors[0].text" },
        { B("""{"type": "done", @COMMON, "experiment_rev": "nope"}"""), "experiment_rev" },
        { B("""{"type": "done", @COMMON, "plots": {}}"""), "plots" },
        { B("""[1, 2]"""), "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task A_body_failing_the_reference_schema_gets_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var (_, token) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var problem = await (await StudioClient.PostAsync(hub.Client(null), token, body)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.StartsWith(field + ":", problem.Detail, StringComparison.Ordinal);
        var list = await (await hub.Admin.GetAsync(HubRoutes.Runs(project))).ReadAsync<RunListResponse>();
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task A_rejected_data_event_keeps_what_earlier_events_stored_and_adds_none_of_its_own_values()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var (_, token) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var studio = hub.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await StudioClient.PostAsync(studio, token, B("""{"type": "data", @COMMON, "step": 0, "metrics": {"m.json": {"data": {"loss": 1.0}}}}"""))).StatusCode);
        var rejected = B("""{"type": "data", @COMMON, "step": 1, "metrics": {"m.json": {"data": {"loss": 0.5}}}, "plots": {"img.png": {"image": "%%%"}}}""");
        await (await StudioClient.PostAsync(studio, token, rejected)).ProblemAsync(HttpStatusCode.BadRequest, "plots.img.png.image");

        var run = Assert.Single((await (await hub.Admin.GetAsync(HubRoutes.Runs(project))).ReadAsync<RunListResponse>()).Items);
        var metrics = await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>();
        var point = Assert.Single(Assert.Single(metrics.Series).Points);
        Assert.Equal((0L, 1.0), (point.Step, point.Value));
    }
}
