using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Interop;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests.Interop;

public sealed class RunImageEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task An_uploaded_image_is_listed_downloads_byte_for_byte_and_a_new_upload_at_the_same_step_replaces_it(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var first = RandomNumberGenerator.GetBytes(300);
        var second = RandomNumberGenerator.GetBytes(200);
        var stored = await (await hub.Admin.PutAsync(RunImageEndpoints.Content(run.Id, "samples/a b.png", 3), Bytes(first))).ReadAsync<RunImageDto>();
        Assert.Equal(("samples/a b.png", 3L, 300L, Convert.ToHexStringLower(SHA256.HashData(first))), (stored.Name, stored.Step, stored.Size, stored.Sha256));
        await (await hub.Admin.PutAsync(RunImageEndpoints.Content(run.Id, "samples/a b.png", 4), Bytes(first))).ReadAsync<RunImageDto>();
        await (await hub.Admin.PutAsync(RunImageEndpoints.Content(run.Id, "samples/a b.png", 3), Bytes(second))).ReadAsync<RunImageDto>();

        var list = await (await hub.Admin.GetAsync(RunImageEndpoints.Images(run.Id))).ReadAsync<List<RunImageDto>>();
        Assert.Equal([(3L, 200L), (4L, 300L)], list.Select(i => (i.Step, i.Size)));
        var download = await hub.Admin.GetAsync(RunImageEndpoints.Content(run.Id, "samples/a b.png", 3));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(second, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(second))}\"", download.Headers.ETag?.Tag);
        Assert.Equal(first, await hub.Admin.GetByteArrayAsync(RunImageEndpoints.Content(run.Id, "samples/a b.png", 4)));
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("../x.png", "name")]
    [InlineData("a//b.png", "name")]
    [InlineData("a\\b.png", "name")]
    public async Task A_bad_image_name_gets_400_naming_it(string name, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        await (await hub.Admin.PutAsync($"{RunImageEndpoints.Images(run.Id)}/content?name={Uri.EscapeDataString(name)}&step=0", Bytes([1, 2, 3]))).ProblemAsync(HttpStatusCode.BadRequest, field);
        await (await hub.Admin.PutAsync($"{RunImageEndpoints.Images(run.Id)}/content?name=ok.png&step=-1", Bytes([1]))).ProblemAsync(HttpStatusCode.BadRequest, "step");
        await (await hub.Admin.PutAsync(RunImageEndpoints.Content(run.Id, "empty.png", 0), Bytes([]))).ProblemAsync(HttpStatusCode.BadRequest, "body");
        Assert.Empty(await (await hub.Admin.GetAsync(RunImageEndpoints.Images(run.Id))).ReadAsync<List<RunImageDto>>());
    }

    [Fact]
    public async Task A_read_key_may_list_and_download_but_not_upload_and_a_missing_image_is_404()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var run = await hub.CreateRunAsync(project);
        var (_, readKey) = await hub.CreateKeyAsync(KeyScope.Read, project);
        var reader = hub.Client(readKey);
        await (await hub.Admin.PutAsync(RunImageEndpoints.Content(run.Id, "x.png", 0), Bytes([7]))).ReadAsync<RunImageDto>();

        Assert.Single(await (await reader.GetAsync(RunImageEndpoints.Images(run.Id))).ReadAsync<List<RunImageDto>>());
        Assert.Equal([7], await reader.GetByteArrayAsync(RunImageEndpoints.Content(run.Id, "x.png", 0)));
        await (await reader.PutAsync(RunImageEndpoints.Content(run.Id, "y.png", 0), Bytes([8]))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await reader.GetAsync(RunImageEndpoints.Content(run.Id, "x.png", 1))).ProblemAsync(HttpStatusCode.NotFound, "name");
        await (await hub.Client(null).GetAsync(RunImageEndpoints.Images(run.Id))).ProblemAsync(HttpStatusCode.Unauthorized, HubHeaders.ApiKey);
    }
}
