using System.Net;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class KeyEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_created_key_identifies_itself_and_stops_working_once_revoked(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var (id, secret) = await hub.CreateKeyAsync(KeyScope.Write, project, "ci");
        Assert.Matches("^swk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", secret);
        var client = hub.Client(secret);
        var me = await (await client.GetAsync(HubRoutes.Me)).ReadAsync<WhoAmIResponse>();
        Assert.Equal(new WhoAmIResponse(id, "ci", KeyScope.Write, project), me);

        Assert.Equal(HttpStatusCode.NoContent, (await hub.Admin.DeleteAsync(HubRoutes.Key(id))).StatusCode);
        await (await client.GetAsync(HubRoutes.Me)).ProblemAsync(HttpStatusCode.Unauthorized, HubHeaders.ApiKey);
        var listed = (await (await hub.Admin.GetAsync(HubRoutes.Keys)).ReadAsync<List<ApiKeyDto>>()).Single(k => k.Id == id);
        Assert.Equal(hub.Clock.GetUtcNow(), listed.RevokedAt);
    }

    [Fact]
    public async Task The_key_list_never_contains_secrets_or_hashes()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var (_, secret) = await hub.CreateKeyAsync(KeyScope.Read, TestHub.NewProject());
        var text = await (await hub.Admin.GetAsync(HubRoutes.Keys)).Content.ReadAsStringAsync();
        Assert.Contains("\"scope\":\"read\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[^43..], text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var (_, secret) = await hub.CreateKeyAsync(KeyScope.Read, TestHub.NewProject());
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(hub.Options.DataDir, "hub.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(id || name || scope || IFNULL(project, '') || hash, ';') FROM api_keys";
        var all = (string)(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain(secret[^43..], all, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))), all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_admin_keys_manage_keys()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var (id, secret) = await hub.CreateKeyAsync(KeyScope.Write, TestHub.NewProject());
        var client = hub.Client(secret);
        await (await client.GetAsync(HubRoutes.Keys)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostJsonAsync(HubRoutes.Keys, new CreateApiKeyRequest("x", KeyScope.Admin))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.DeleteAsync(HubRoutes.Key(id))).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("{\"name\": \"k\", \"scope\": \"write\"}", "project")]
    [InlineData("{\"name\": \"k\", \"scope\": \"admin\", \"project\": \"p\"}", "project")]
    [InlineData("{\"name\": \"k\", \"scope\": \"owner\", \"project\": \"p\"}", "scope")]
    [InlineData("{\"scope\": \"read\", \"project\": \"p\"}", "name")]
    [InlineData("{\"name\": \"k\", \"scope\": \"read\", \"project\": \"../p\"}", "project")]
    public async Task A_bad_key_request_gets_400_naming_the_field(string json, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        await (await hub.Admin.PostRawJsonAsync(HubRoutes.Keys, json)).ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_gets_404()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        await (await hub.Admin.DeleteAsync(HubRoutes.Key("ffffffffffff"))).ProblemAsync(HttpStatusCode.NotFound, "keyId");
    }
}
