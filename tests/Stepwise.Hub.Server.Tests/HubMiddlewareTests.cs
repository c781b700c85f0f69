using System.Net;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class HubMiddlewareTests(HubServers servers) : IClassFixture<HubServers>
{
    [Fact]
    public async Task A_request_without_a_key_gets_401_and_no_data()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var run = await hub.CreateRunAsync(project, "secret-run-name");
        var anonymous = hub.Client(null);
        foreach (var path in (string[])[HubRoutes.Run(run.Id), HubRoutes.Runs(project), HubRoutes.Projects, HubRoutes.Metrics(run.Id), HubRoutes.Keys])
        {
            var response = await anonymous.GetAsync(path);
            await response.ProblemAsync(HttpStatusCode.Unauthorized, HubHeaders.ApiKey);
            Assert.DoesNotContain("secret-run-name", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("swk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("swk_ZZZZZZZZZZZZ_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_or_unknown_key_gets_401(string key)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        await (await hub.Client(key).GetAsync(HubRoutes.Me)).ProblemAsync(HttpStatusCode.Unauthorized, HubHeaders.ApiKey);
    }

    [Fact]
    public async Task A_known_key_id_with_a_wrong_secret_gets_401()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var (_, secret) = await hub.CreateKeyAsync(KeyScope.Admin, null);
        var forged = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.OK, (await hub.Client(secret).GetAsync(HubRoutes.Me)).StatusCode);
        await (await hub.Client(forged).GetAsync(HubRoutes.Me)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("Bearer")]
    public async Task The_key_may_also_come_in_the_authorization_header(string scheme)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var client = hub.Client(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{scheme} {hub.AdminKey}");
        var me = await (await client.GetAsync(HubRoutes.Me)).ReadAsync<WhoAmIResponse>();
        Assert.Equal(KeyScope.Admin, me.Scope);
    }

    [Fact]
    public async Task Health_probes_and_the_web_page_need_no_key()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var anonymous = hub.Client(null);
        Assert.Equal("ok", await anonymous.GetStringAsync(HubRoutes.Health));
        Assert.Equal("ok", await anonymous.GetStringAsync(HubRoutes.Ready));
        Assert.Contains("Stepwise Hub", await anonymous.GetStringAsync("/"), StringComparison.Ordinal);
    }
}
