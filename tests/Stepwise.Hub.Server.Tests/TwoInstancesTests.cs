using System.Net;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

/// <summary>Two Hub processes' worth of servers sharing one PostgreSQL database and one blob folder.</summary>
public sealed class TwoInstancesTests
{
    [PostgresFact]
    public async Task Two_servers_on_one_postgresql_serve_the_same_runs_metrics_keys_stops_and_checkpoints()
    {
        var database = await PostgresServer.Instance.CreateDatabaseAsync();
        var dataDir = TestHub.NewTempDir();
        var starts = await Task.WhenAll(
            TestHub.StartAsync(TestHub.Postgres, database: database, dataDir: dataDir, adminKey: "pending"),
            TestHub.StartAsync(TestHub.Postgres, database: database, dataDir: dataDir, adminKey: "pending"));
        await using var a = starts[0];
        await using var b = starts[1];
        var admin = a.Host.InitialAdminKey ?? b.Host.InitialAdminKey;
        Assert.NotNull(admin);
        Assert.True(a.Host.InitialAdminKey is null || b.Host.InitialAdminKey is null, "only one instance bootstraps the admin key");
        var clientA = a.Client(admin);
        var clientB = b.Client(admin);

        var project = TestHub.NewProject();
        var run = await a.CreateRunAsync(project, client: clientA);
        await (await clientA.PostJsonAsync(HubRoutes.Metrics(run.Id), new MetricsBatchRequest([new MetricPoint(0, 0, new Dictionary<string, double> { ["loss"] = 2 })]))).ReadAsync<MetricsBatchResponse>();
        await (await clientB.PostJsonAsync(HubRoutes.Metrics(run.Id), new MetricsBatchRequest([new MetricPoint(1, 0, new Dictionary<string, double> { ["loss"] = 1 })]))).ReadAsync<MetricsBatchResponse>();
        foreach (var client in (HttpClient[])[clientA, clientB])
        {
            var series = (await (await client.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>()).Series.Single();
            Assert.Equal([2.0, 1.0], series.Points.Select(p => p.Value));
        }

        var (keyId, key) = await b.CreateKeyAsync(KeyScope.Write, project, admin: clientB);
        Assert.Equal(HttpStatusCode.OK, (await a.Client(key).GetAsync(HubRoutes.Run(run.Id))).StatusCode);

        await (await clientB.PostAsync(HubRoutes.Stop(run.Id), null)).ReadAsync<RunDto>(HttpStatusCode.Accepted);
        Assert.True((await (await clientA.PostAsync(HubRoutes.Heartbeat(run.Id), null)).ReadAsync<HeartbeatResponse>()).StopRequested);

        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        var upload = new ByteArrayContent(bytes);
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var checkpoint = await (await clientA.PostAsync(HubRoutes.Checkpoints(run.Id) + $"?kind=last&sha256={sha}&size=4096", upload)).ReadAsync<CheckpointDto>(HttpStatusCode.Created);
        Assert.Equal(bytes, await clientB.GetByteArrayAsync(HubRoutes.CheckpointContent(run.Id, checkpoint.Id)));

        Assert.Equal(HttpStatusCode.NoContent, (await clientA.DeleteAsync(HubRoutes.Key(keyId))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.Client(key).GetAsync(HubRoutes.Me)).StatusCode);
    }
}
