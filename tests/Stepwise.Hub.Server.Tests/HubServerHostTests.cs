using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class HubServerHostTests
{
    private static MetricsBatchRequest Batch(long step, int values) =>
        new([new MetricPoint(step, null, Enumerable.Range(0, values).ToDictionary(i => $"m{i}", i => (double)i))]);

    [Fact]
    public async Task First_start_creates_the_wal_database_the_blob_folder_and_one_admin_key_that_survives_a_restart()
    {
        var dataDir = TestHub.NewTempDir();
        string adminKey;
        string runId;
        await using (var first = await TestHub.StartAsync(dataDir: dataDir))
        {
            adminKey = first.AdminKey;
            Assert.Matches("^swk_[0-9a-f]{12}_", adminKey);
            runId = (await first.CreateRunAsync(TestHub.NewProject(), "kept")).Id;
            await (await first.Admin.PostJsonAsync(HubRoutes.Metrics(runId), Batch(0, 3))).ReadAsync<MetricsBatchResponse>();
        }

        Assert.True(File.Exists(Path.Combine(dataDir, "hub.db")));
        Assert.True(Directory.Exists(Path.Combine(dataDir, "blobs")));
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "hub.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", (string)(await command.ExecuteScalarAsync())!);
        }

        await using var second = await TestHub.StartAsync(dataDir: dataDir, adminKey: adminKey);
        Assert.Null(second.Host.InitialAdminKey);
        var run = await (await second.Admin.GetAsync(HubRoutes.Run(runId))).ReadAsync<RunDto>();
        Assert.Equal("kept", run.Name);
        var metrics = await (await second.Admin.GetAsync(HubRoutes.Metrics(runId))).ReadAsync<MetricsResponse>();
        Assert.Equal(3, metrics.Series.Count);
    }

    [Fact]
    public async Task Health_ready_and_the_openapi_document_are_served()
    {
        await using var hub = await TestHub.StartAsync();
        var anonymous = hub.Client(null);
        Assert.Equal("ok", await anonymous.GetStringAsync("/healthz"));
        Assert.Equal("ok", await anonymous.GetStringAsync("/readyz"));
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in (string[])["/api/v1/projects/{project}/runs", "/api/v1/runs/{runId}/metrics", "/api/v1/runs/{runId}/checkpoints", "/api/v1/runs/{runId}/heartbeat", "/api/v1/keys"])
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.Equal("Stepwise Hub API", document.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Each_request_is_logged_with_structured_method_path_status_time_and_key_id_but_never_the_key()
    {
        var logs = new LogCollector();
        await using var hub = await TestHub.StartAsync(configure: o =>
        {
            o.MinimumLogLevel = LogLevel.Information;
            o.ConfigureLogging = logging => logging.AddProvider(logs);
        });
        var me = await (await hub.Admin.GetAsync(HubRoutes.Me)).ReadAsync<WhoAmIResponse>();
        await hub.Admin.GetAsync(HubRoutes.Run(new string('a', 32)));
        await hub.StopAsync();

        var requests = logs.Entries.Where(e => e.Fields.ContainsKey("Method")).ToList();
        var ok = Assert.Single(requests, e => (string?)e.Fields["Path"] == HubRoutes.Me);
        Assert.Equal(("GET", 200, me.KeyId), ((string?)ok.Fields["Method"], (int?)ok.Fields["Status"], (string?)ok.Fields["KeyId"]));
        Assert.IsType<double>(ok.Fields["ElapsedMs"]);
        Assert.Contains(requests, e => (int?)e.Fields["Status"] == 404);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(hub.AdminKey, StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Message.Contains("Stepwise Hub listening on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_web_ui_is_served_with_a_strict_content_security_policy()
    {
        await using var hub = await TestHub.StartAsync();
        foreach (var path in (string[])["/", "/ui/app.js", "/ui/chart.js", "/ui/style.css"])
        {
            var response = await hub.Client(null).GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await hub.Client(null).GetAsync("/ui/..%2Fhub.db")).StatusCode);
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_while_other_keys_carry_on()
    {
        await using var hub = await TestHub.StartAsync(configure: o =>
        {
            o.RateLimitPerSecond = 1;
            o.RateLimitBurst = 3;
        });
        var (_, other) = await hub.CreateKeyAsync(KeyScope.Read, TestHub.NewProject());
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add(await hub.Admin.GetAsync(HubRoutes.Me));
        }

        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("retry after", problem.Detail, StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await hub.Client(other).GetAsync(HubRoutes.Me)).StatusCode);
    }

    [Fact]
    public async Task Bodies_over_the_configured_limits_get_413()
    {
        await using var hub = await TestHub.StartAsync(configure: o =>
        {
            o.MaxJsonBodyBytes = 2048;
            o.MaxUploadBytes = 1000;
        });
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), Batch(0, 400))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body");
        await (await hub.Admin.PostJsonAsync(HubRoutes.Metrics(run.Id), Batch(0, 20))).ReadAsync<MetricsBatchResponse>();

        var chunked = new StreamContent(new MemoryStream(new byte[5000]));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, HubRoutes.Metrics(run.Id)) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await hub.Admin.SendAsync(request)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body");

        var bytes = new byte[1001];
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var upload = new ByteArrayContent(bytes);
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        await (await hub.Admin.PostAsync(HubRoutes.Checkpoints(run.Id) + $"?kind=last&sha256={sha}&size=1001", upload)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "size");
    }

    [Fact]
    public async Task Every_acknowledged_metric_batch_is_stored_when_the_server_stops_under_load()
    {
        var dataDir = TestHub.NewTempDir();
        string runId;
        var acknowledged = new List<long>();
        string adminKey;
        await using (var hub = await TestHub.StartAsync(dataDir: dataDir))
        {
            adminKey = hub.AdminKey;
            runId = (await hub.CreateRunAsync(TestHub.NewProject())).Id;
            var total = 0;
            var underWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var senders = Enumerable.Range(0, 8).Select(async sender =>
            {
                using var client = new HttpClient { BaseAddress = hub.BaseAddress };
                client.DefaultRequestHeaders.Add(HubHeaders.ApiKey, hub.AdminKey);
                var mine = new List<long>();
                for (var i = 0; i < 1000; i++)
                {
                    var step = (sender * 1000) + i;
                    try
                    {
                        var response = await client.PostJsonAsync(HubRoutes.Metrics(runId), Batch(step, 20));
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            break;
                        }

                        mine.Add(step);
                        if (Interlocked.Increment(ref total) == 100)
                        {
                            underWay.TrySetResult();
                        }
                    }
                    catch (HttpRequestException)
                    {
                        break;
                    }
                }

                return mine;
            }).ToList();
            await Task.WhenAny(Task.WhenAll(senders), underWay.Task);
            await hub.Host.StopAsync();
            foreach (var sender in senders)
            {
                acknowledged.AddRange(await sender);
            }
        }

        Assert.NotEmpty(acknowledged);
        await using var reopened = await TestHub.StartAsync(dataDir: dataDir, adminKey: adminKey);
        var series = (await (await reopened.Admin.GetAsync(HubRoutes.Metrics(runId) + "?name=m19")).ReadAsync<MetricsResponse>()).Series.Single();
        var stored = series.Points.Select(p => p.Step).ToHashSet();
        Assert.All(acknowledged, step => Assert.Contains(step, stored));
    }

    [PostgresFact]
    public async Task Readyz_answers_503_when_the_database_is_gone_while_healthz_stays_ok()
    {
        var connectionString = await PostgresServer.Instance.CreateDatabaseAsync();
        await using var hub = await TestHub.StartAsync(TestHub.Postgres, database: connectionString);
        var anonymous = hub.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(PostgresServer.Instance.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await anonymous.GetStringAsync("/healthz"));
    }
}
