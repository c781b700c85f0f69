using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class CheckpointEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    private static byte[] Content(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static Task<HttpResponseMessage> UploadRawAsync(HttpClient client, string runId, byte[] bytes, string query)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync(HubRoutes.Checkpoints(runId) + query, content);
    }

    private static string BlobPath(TestHub hub, string sha) => Path.Combine(hub.Options.DataDir, "blobs", sha[..2], sha[2..4], sha);

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_raw_upload_is_verified_recorded_and_downloads_byte_for_byte(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(300_000, 1);
        var sha = Sha(bytes);
        var created = await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=best&epoch=3&name=best.safetensors&sha256={sha}&size={bytes.Length}"))
            .ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        Assert.Equal((run.Id, CheckpointKind.Best, 3, "best.safetensors", (long)bytes.Length, sha), (created.RunId, created.Kind, created.Epoch, created.Name, created.Size, created.Sha256));
        Assert.True(File.Exists(BlobPath(hub, sha)));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(BlobPath(hub, sha)));

        var list = await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>();
        Assert.Equal(created, Assert.Single(list));

        var download = await hub.Admin.GetAsync(HubRoutes.CheckpointContent(run.Id, created.Id));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha}\"", download.Headers.ETag?.Tag);
        Assert.Equal("best.safetensors", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("bytes", download.Headers.AcceptRanges);
    }

    [Fact]
    public async Task A_range_request_gets_206_with_exactly_those_bytes_and_a_bad_range_gets_416()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(10_000, 2);
        var created = await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=last&sha256={Sha(bytes)}&size={bytes.Length}")).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        Assert.Equal("last.ckpt", created.Name);
        Assert.Null(created.Epoch);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, HubRoutes.CheckpointContent(run.Id, created.Id));
        ranged.Headers.Range = new RangeHeaderValue(1000, 1999);
        var partial = await hub.Admin.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[1000..2000], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(10_000, partial.Content.Headers.ContentRange?.Length);

        using var resume = new HttpRequestMessage(HttpMethod.Get, HubRoutes.CheckpointContent(run.Id, created.Id));
        resume.Headers.Range = new RangeHeaderValue(9_990, null);
        Assert.Equal(bytes[9_990..], await (await hub.Admin.SendAsync(resume)).Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, HubRoutes.CheckpointContent(run.Id, created.Id));
        beyond.Headers.Range = new RangeHeaderValue(20_000, 30_000);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await hub.Admin.SendAsync(beyond)).StatusCode);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_multipart_upload_with_fields_before_the_file_is_recorded_under_the_file_name(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(50_000, 3);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("final"), "kind" },
            { new StringContent("9"), "epoch" },
            { new StringContent(Sha(bytes)), "sha256" },
            { new StringContent(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), "size" },
            { new ByteArrayContent(bytes), "file", "final.safetensors" },
        };
        var created = await (await hub.Admin.PostAsync(HubRoutes.Checkpoints(run.Id), form)).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        Assert.Equal((CheckpointKind.Final, 9, "final.safetensors", Sha(bytes)), (created.Kind, created.Epoch, created.Name, created.Sha256));
        Assert.Equal(bytes, await hub.Admin.GetByteArrayAsync(HubRoutes.CheckpointContent(run.Id, created.Id)));
    }

    [Fact]
    public async Task A_checksum_mismatch_gets_400_naming_sha256_and_records_and_keeps_nothing()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(20_000, 4);
        var wrong = Sha(Content(10, 5));
        var problem = await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=last&sha256={wrong}&size={bytes.Length}")).ProblemAsync(HttpStatusCode.BadRequest, "sha256");
        Assert.Contains(Sha(bytes), problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>());
        Assert.False(File.Exists(BlobPath(hub, Sha(bytes))));
        Assert.False(File.Exists(BlobPath(hub, wrong)));
        Assert.Empty(Directory.GetFiles(Path.Combine(hub.Options.DataDir, "blobs", "tmp")));
    }

    [Fact]
    public async Task A_body_shorter_or_longer_than_the_declared_size_gets_400_naming_size()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(1000, 6);
        await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=last&sha256={Sha(bytes)}&size=999")).ProblemAsync(HttpStatusCode.BadRequest, "size");
        await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=last&sha256={Sha(bytes)}&size=1001")).ProblemAsync(HttpStatusCode.BadRequest, "size");

        using var form = new MultipartFormDataContent
        {
            { new StringContent("last"), "kind" },
            { new StringContent(Sha(bytes)), "sha256" },
            { new StringContent("500"), "size" },
            { new ByteArrayContent(bytes), "file", "last.pt" },
        };
        await (await hub.Admin.PostAsync(HubRoutes.Checkpoints(run.Id), form)).ProblemAsync(HttpStatusCode.BadRequest, "size");
        Assert.Empty(await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>());
    }

    [Theory]
    [InlineData("name=..%2F..%2Fetc%2Fpasswd", "name")]
    [InlineData("name=a%5Cb", "name")]
    [InlineData("name=..", "name")]
    [InlineData("kind=middle", "kind")]
    [InlineData("kind=", "kind")]
    [InlineData("epoch=-1", "epoch")]
    [InlineData("sha256=xyz", "sha256")]
    [InlineData("size=ten", "size")]
    public async Task Bad_upload_fields_get_400_naming_the_field(string change, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(100, 7);
        var fields = new Dictionary<string, string> { ["kind"] = "last", ["sha256"] = Sha(bytes), ["size"] = "100" };
        var (key, value) = (change.Split('=')[0], change.Split('=', 2)[1]);
        fields[key] = value;
        var query = "?" + string.Join("&", fields.Where(f => f.Value.Length > 0).Select(f => $"{f.Key}={f.Value}"));
        await (await UploadRawAsync(hub.Admin, run.Id, bytes, query)).ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Empty(await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>());
    }

    [Fact]
    public async Task A_path_like_multipart_file_name_gets_400_and_never_touches_the_filesystem()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(100, 8);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("last"), "kind" },
            { new StringContent(Sha(bytes)), "sha256" },
            { new StringContent("100"), "size" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"../../escape.pt\"" };
        form.Add(file);
        await (await hub.Admin.PostAsync(HubRoutes.Checkpoints(run.Id), form)).ProblemAsync(HttpStatusCode.BadRequest, "file");
        Assert.False(File.Exists(Path.Combine(hub.Options.DataDir, "escape.pt")));
        Assert.False(File.Exists(Path.Combine(hub.Options.DataDir, "..", "escape.pt")));
    }

    [Fact]
    public async Task The_same_content_uploaded_twice_is_one_blob_and_two_records()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(5000, 9);
        var query = $"?kind=last&sha256={Sha(bytes)}&size={bytes.Length}";
        var first = await (await UploadRawAsync(hub.Admin, run.Id, bytes, query)).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        hub.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await (await UploadRawAsync(hub.Admin, run.Id, bytes, query.Replace("last", "best", StringComparison.Ordinal))).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        Assert.NotEqual(first.Id, second.Id);
        var list = await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>();
        Assert.Equal([second.Id, first.Id], list.Select(c => c.Id));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(BlobPath(hub, first.Sha256))!), f => Path.GetFileName(f) == first.Sha256);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task A_replayed_upload_of_the_same_kind_epoch_and_content_answers_200_with_the_stored_record(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(2000, 11);
        var query = $"?kind=last&epoch=4&sha256={Sha(bytes)}&size={bytes.Length}";
        var first = await (await UploadRawAsync(hub.Admin, run.Id, bytes, query)).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        hub.Clock.Advance(TimeSpan.FromSeconds(3));
        var replay = await (await UploadRawAsync(hub.Admin, run.Id, bytes, query)).ReadAsync<CheckpointDto>(HttpStatusCode.OK);
        Assert.Equal(first, replay);
        var otherEpoch = await (await UploadRawAsync(hub.Admin, run.Id, bytes, query.Replace("epoch=4", "epoch=5", StringComparison.Ordinal))).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        var noEpoch = $"?kind=best&sha256={Sha(bytes)}&size={bytes.Length}";
        var best = await (await UploadRawAsync(hub.Admin, run.Id, bytes, noEpoch)).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        Assert.Equal(best, await (await UploadRawAsync(hub.Admin, run.Id, bytes, noEpoch)).ReadAsync<CheckpointDto>(HttpStatusCode.OK));
        var list = await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>();
        Assert.Equal(3, list.Count);
        Assert.Contains(otherEpoch, list);
    }

    [Fact]
    public async Task A_checkpoint_can_carry_the_metric_it_was_saved_for()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var bytes = Content(300, 12);
        var created = await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=best&sha256={Sha(bytes)}&size=300&metricName=metrics%2Faccuracy_top1&metricValue=0.875"))
            .ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        Assert.Equal(("metrics/accuracy_top1", 0.875), (created.MetricName, created.MetricValue));
        Assert.Equal(created, (await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>()).Single());
        await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=best&sha256={Sha(bytes)}&size=300&metricValue=NaN")).ProblemAsync(HttpStatusCode.BadRequest, "metricValue");
    }

    [Fact]
    public async Task Uploads_need_a_known_content_type_and_downloads_a_known_checkpoint()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        await (await hub.Admin.PostAsync(HubRoutes.Checkpoints(run.Id), new StringContent("abc"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await hub.Admin.GetAsync(HubRoutes.CheckpointContent(run.Id, new string('b', 32)))).ProblemAsync(HttpStatusCode.NotFound, "checkpointId");
        await (await hub.Admin.GetAsync(HubRoutes.CheckpointContent(run.Id, "..%2F..%2Fhub.db"))).ProblemAsync(HttpStatusCode.NotFound, "checkpointId");
    }

    [Fact]
    public async Task A_read_key_can_download_but_not_upload()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var run = await hub.CreateRunAsync(project);
        var bytes = Content(64, 10);
        var created = await (await UploadRawAsync(hub.Admin, run.Id, bytes, $"?kind=last&sha256={Sha(bytes)}&size=64")).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        var (_, reader) = await hub.CreateKeyAsync(KeyScope.Read, project);
        var client = hub.Client(reader);
        Assert.Equal(bytes, await client.GetByteArrayAsync(HubRoutes.CheckpointContent(run.Id, created.Id)));
        await (await UploadRawAsync(client, run.Id, bytes, $"?kind=last&sha256={Sha(bytes)}&size=64")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await hub.Client(null).GetAsync(HubRoutes.CheckpointContent(run.Id, created.Id))).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
