using System.Net;
using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class ParamEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    private static ParamsDto Params(string json) => new(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!);

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task Params_merge_on_put_and_keep_their_json_types(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        await (await hub.Admin.PutAsJsonAsyncHub(HubRoutes.Params(run.Id), Params("{\"lr\": 0.01, \"opt\": \"sgd\", \"layers\": [64, 32]}"))).ReadAsync<ParamsDto>();
        var merged = await (await hub.Admin.PutAsJsonAsyncHub(HubRoutes.Params(run.Id), Params("{\"opt\": \"adamw\", \"nested\": {\"a\": true}}"))).ReadAsync<ParamsDto>();
        var read = await (await hub.Admin.GetAsync(HubRoutes.Params(run.Id))).ReadAsync<ParamsDto>();
        Assert.Equal(JsonSerializer.Serialize(merged), JsonSerializer.Serialize(read));
        Assert.Equal(["layers", "lr", "nested", "opt"], read.Params.Keys);
        Assert.Equal(0.01, read.Params["lr"].GetDouble());
        Assert.Equal("adamw", read.Params["opt"].GetString());
        Assert.Equal([64, 32], read.Params["layers"].EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(read.Params["nested"].GetProperty("a").GetBoolean());
    }

    [Theory]
    [InlineData("{\"params\": 3}", "params")]
    [InlineData("{}", "params")]
    [InlineData("{\"params\": {\"\": 1}}", "params")]
    public async Task A_bad_params_body_gets_400_naming_the_field(string json, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var response = await hub.Admin.PutAsync(HubRoutes.Params(run.Id), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
    }
}
