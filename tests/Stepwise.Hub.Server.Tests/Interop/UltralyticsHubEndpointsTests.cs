using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Interop;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests.Interop;

public sealed class UltralyticsHubEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    private const string GoldenUrlModel = "GOLDENMODEL001";
    private const string GoldenCreatedModel = "created-model-001";

    private sealed record Upload(string Kind, int Epoch, string Sha256, long Size, string Name, double? Map);

    private sealed class Replay
    {
        public string? RunId { get; set; }

        public string? AgentId { get; set; }

        public Dictionary<int, Dictionary<string, double>> FirstMetrics { get; } = [];

        public List<Upload> Uploads { get; } = [];
    }

    private static Dictionary<string, double> ParseEpoch(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);

    /// <summary>Creates, for the model-URL flow, the Hub run the recorded URL points at (as a user would beforehand).</summary>
    private static async Task<string> CreateUrlModelAsync(TestHub hub, string project, IReadOnlyList<HubRequestLog.Request> requests)
    {
        var get = requests.First(r => r.Method == "GET");
        var golden = get.Response!.Value.GetProperty("data");
        var args = golden.GetProperty("train_args").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        args["model"] = golden.GetProperty("cfg").Clone();
        var run = await hub.CreateRunAsync(project, "example-model", request: new CreateRunRequest("example-model", Args: args));
        return run.Id;
    }

    private static async Task<Replay> ReplayAsync(HubSdkClient client, IReadOnlyList<HubRequestLog.Request> requests, string? urlModelId)
    {
        var replay = new Replay { RunId = urlModelId };
        foreach (var request in requests.Where(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            var path = request.Path.Replace(GoldenUrlModel, replay.RunId ?? GoldenUrlModel, StringComparison.Ordinal)
                .Replace(GoldenCreatedModel, replay.RunId ?? GoldenCreatedModel, StringComparison.Ordinal);
            var kind = request.Body.GetProperty("kind").GetString();
            (int Status, JsonElement Body) answer;
            switch (kind)
            {
                case "empty":
                    answer = request.Method == "GET" ? await client.SendAsync(HttpMethod.Get, path) : await client.PostEmptyAsync(path);
                    break;
                case "json":
                    var json = JsonNode.Parse(request.Body.GetProperty("json").GetRawText())!.AsObject();
                    if (path.StartsWith("/v1/agent/heartbeat/", StringComparison.Ordinal) && json["agentId"] is not null)
                    {
                        json["agentId"] = replay.AgentId; // the client sends back what the server gave it
                    }

                    if (json["metrics"] is JsonObject metrics)
                    {
                        foreach (var (epochKey, text) in metrics)
                        {
                            replay.FirstMetrics.TryAdd(int.Parse(epochKey, System.Globalization.CultureInfo.InvariantCulture), ParseEpoch(text!.GetValue<string>()));
                        }
                    }

                    answer = await client.PostJsonAsync(path, json.ToJsonString());
                    break;
                default:
                    Assert.Equal("multipart", kind);
                    var parts = request.Body.GetProperty("parts").EnumerateArray().ToList();
                    var fields = parts.Where(p => p.GetProperty("filename").ValueKind == JsonValueKind.Null)
                        .Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("value").GetString()!)).ToList();
                    var filePart = parts.Single(p => p.GetProperty("filename").ValueKind == JsonValueKind.String);
                    var file = HubSdkClient.FileContent(filePart.GetProperty("size").GetInt64(), request.Seq);
                    var fileName = filePart.GetProperty("name").GetString()!;
                    answer = await client.PostMultipartAsync(path, fields, fileName, file);
                    var values = fields.ToDictionary(f => f.Item1, f => f.Item2, StringComparer.Ordinal);
                    var epoch = int.Parse(values["epoch"], System.Globalization.CultureInfo.InvariantCulture);
                    var sha = HubSdkClient.Sha(file);
                    if (values["type"] == "final")
                    {
                        replay.Uploads.Add(new Upload("final", epoch, sha, file.Length, fileName, double.Parse(values["map"], System.Globalization.CultureInfo.InvariantCulture)));
                    }
                    else
                    {
                        replay.Uploads.Add(new Upload("last", epoch, sha, file.Length, fileName, null));
                        if (values["isBest"] == "True")
                        {
                            replay.Uploads.Add(new Upload("best", epoch, sha, file.Length, fileName, null));
                        }
                    }

                    break;
            }

            Assert.True(answer.Status == 200, $"{request.Method} {path} (seq {request.Seq}) answered {answer.Status}: {answer.Body}");
            Assert.True(answer.Body.GetProperty("success").GetBoolean());
            if (request.Path == "/v1/models")
            {
                replay.RunId = answer.Body.GetProperty("data").GetProperty("id").GetString();
                Assert.Equal("Model created", answer.Body.GetProperty("message").GetString());
            }
            else if (request.Method == "GET")
            {
                // What the client reads from the model: the data file in train_args and the model file.
                var golden = request.Response!.Value.GetProperty("data");
                var data = answer.Body.GetProperty("data");
                Assert.Equal(replay.RunId, data.GetProperty("id").GetString());
                Assert.Equal(golden.GetProperty("cfg").GetString(), data.GetProperty("cfg").GetString());
                Assert.Equal(golden.GetProperty("train_args").GetProperty("data").GetString(), data.GetProperty("train_args").GetProperty("data").GetString());
                Assert.Equal(golden.GetProperty("train_args").GetProperty("epochs").GetInt32(), data.GetProperty("train_args").GetProperty("epochs").GetInt32());
                Assert.False(data.GetProperty("has_last_weights").GetBoolean());
                Assert.NotEqual("trained", data.GetProperty("status").GetString());
            }
            else if (path.StartsWith("/v1/agent/heartbeat/", StringComparison.Ordinal))
            {
                var agentId = answer.Body.GetProperty("data").GetProperty("agentId").GetString();
                Assert.False(string.IsNullOrEmpty(agentId));
                replay.AgentId ??= agentId;
                Assert.Equal(replay.AgentId, agentId);
            }
        }

        return replay;
    }

    private static async Task AssertRunAsync(TestHub hub, Replay replay)
    {
        var run = await (await hub.Admin.GetAsync(HubRoutes.Run(replay.RunId!))).ReadAsync<RunDto>();
        Assert.Equal(HubRunStatus.Finished, run.Status);
        Assert.NotNull(run.EndedAt);

        var metrics = await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>();
        var stored = metrics.Series.SelectMany(s => s.Points.Select(p => (s.Name, p.Step, p.Epoch, p.Value))).OrderBy(x => x.Name, StringComparer.Ordinal).ThenBy(x => x.Step).ToList();
        var expected = replay.FirstMetrics.SelectMany(e => e.Value.Select(v => (v.Key, (long)e.Key, (int?)e.Key, v.Value))).OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Item2).ToList();
        Assert.Equal([0, 1, 2], replay.FirstMetrics.Keys.Order());
        Assert.Equal(expected, stored);

        var checkpoints = await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>();
        var ours = checkpoints.Select(c => (Kind: c.Kind.ToString().ToLowerInvariant(), Epoch: c.Epoch ?? -1, c.Sha256, c.Size, c.Name, c.MetricValue))
            .OrderBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Epoch).ThenBy(c => c.Sha256, StringComparer.Ordinal).ToList();
        var uploads = replay.Uploads.Distinct().Select(u => (u.Kind, u.Epoch, u.Sha256, u.Size, u.Name, MetricValue: u.Map))
            .OrderBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Epoch).ThenBy(c => c.Sha256, StringComparer.Ordinal).ToList();
        Assert.Equal(uploads, ours);
        var final = Assert.Single(checkpoints, c => c.Kind == CheckpointKind.Final);
        Assert.Equal(UltralyticsHubEndpoints.FinalMetric, final.MetricName);
        Assert.Equal("best.pt", final.Name);
    }

    [Theory]
    [InlineData("url_ok")]
    [InlineData("url_defaults")]
    [InlineData("url_faults")]
    public async Task Replaying_a_recorded_model_url_session_stores_metrics_per_epoch_and_checkpoints_in_the_run(string scenario)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var (_, key) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var requests = HubRequestLog.Scenario(scenario);
        var runId = await CreateUrlModelAsync(hub, project, requests);
        var replay = await ReplayAsync(new HubSdkClient(hub.Client(null), key), requests, runId);
        await AssertRunAsync(hub, replay);
    }

    [Theory]
    [InlineData(TestHub.Sqlite, "create_ok")]
    [InlineData(TestHub.Sqlite, "create_faults")]
    [PostgresCreateOk]
    public async Task Replaying_a_recorded_create_session_creates_the_model_as_a_run_with_its_training_arguments(string backend, string scenario)
    {
        var hub = await servers.GetAsync(backend);
        var project = TestHub.NewProject();
        var (_, key) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var replay = await ReplayAsync(new HubSdkClient(hub.Client(null), key), HubRequestLog.Scenario(scenario), urlModelId: null);
        await AssertRunAsync(hub, replay);

        var run = await (await hub.Admin.GetAsync(HubRoutes.Run(replay.RunId!))).ReadAsync<RunDto>();
        Assert.Equal((project, "yolo11n", "ultralytics"), (run.Project, run.Name, run.Client?.Name));
        Assert.Equal("<run>/data/det/data.yaml", run.Args!["data"].GetString());
        Assert.Equal("yolo11n.yaml", run.Args["model"].GetString());
        Assert.Equal((3, 64, 4, 100), (run.Args["epochs"].GetInt32(), run.Args["imgsz"].GetInt32(), run.Args["batch"].GetInt32(), run.Args["patience"].GetInt32()));
        Assert.Equal(JsonValueKind.False, run.Args["cache"].ValueKind);
        Assert.Equal("cpu", run.Args["device"].GetString());
        Assert.Equal(UltralyticsHubEndpoints.FinalMetric, run.PrimaryMetric);
    }

    [Fact]
    public async Task An_identical_upload_sent_again_and_a_repeated_metrics_epoch_store_nothing_new()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var (_, key) = await hub.CreateKeyAsync(KeyScope.Write, project);
        var client = new HubSdkClient(hub.Client(null), key);
        var created = await client.PostJsonAsync("/v1/models", """{"config": {"epochs": 1}, "dataset": {"name": "d.yaml"}, "meta": {"name": "m.pt"}}""");
        var id = created.Body.GetProperty("data").GetProperty("id").GetString()!;
        var file = HubSdkClient.FileContent(6400, 1);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(200, (await client.PostMultipartAsync($"/v1/models/{id}/upload", [("epoch", "0"), ("type", "epoch"), ("isBest", "False")], "last.pt", file)).Status);
            Assert.Equal(200, (await client.PostJsonAsync($"/v1/models/{id}", $$"""{"metrics": {"0": "{\"loss\": {{1.5 + i}}}"}, "type": "metrics"}""")).Status);
        }

        var checkpoint = Assert.Single(await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(id))).ReadAsync<List<CheckpointDto>>());
        Assert.Equal((CheckpointKind.Last, 0, HubSdkClient.Sha(file)), (checkpoint.Kind, checkpoint.Epoch, checkpoint.Sha256));
        var series = Assert.Single((await (await hub.Admin.GetAsync(HubRoutes.Metrics(id))).ReadAsync<MetricsResponse>()).Series);
        Assert.Equal(1.5, Assert.Single(series.Points).Value);
        var run = await (await hub.Admin.GetAsync(HubRoutes.Run(id))).ReadAsync<RunDto>();
        Assert.Equal(HubRunStatus.Running, run.Status);
    }

    [Fact]
    public async Task Python_non_finite_tokens_in_epoch_metrics_are_skipped_and_the_rest_stored()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var client = new HubSdkClient(hub.Client(null), hub.AdminKey);
        var answer = await client.PostJsonAsync($"/v1/models/{run.Id}", """{"metrics": {"4": "{\"a\": NaN, \"b\": -Infinity, \"c\": 2.5, \"d\": \"NaN text\"}"}, "type": "metrics"}""");
        Assert.Equal(400, answer.Status);
        Assert.Equal("metrics.4.d", answer.Body.GetProperty("field").GetString());

        answer = await client.PostJsonAsync($"/v1/models/{run.Id}", """{"metrics": {"4": "{\"a\": NaN, \"b\": -Infinity, \"c\": 2.5}"}, "type": "metrics"}""");
        Assert.Equal(200, answer.Status);
        var series = Assert.Single((await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>()).Series);
        Assert.Equal(("c", 4L, 4, 2.5), (series.Name, series.Points[0].Step, series.Points[0].Epoch, series.Points[0].Value));
    }

    public static TheoryData<string, string, string> InvalidMetrics() => new()
    {
        { """{"metrics": {"0": "{}"}, "type": "weights"}""", "type", "metrics" },
        { """{"metrics": {"0": "{}"}}""", "type", "is required" },
        { """{"type": "metrics"}""", "metrics", "expected an object" },
        { """{"metrics": {"first": "{}"}, "type": "metrics"}""", "metrics.first", "epoch key" },
        { """{"metrics": {"0": "not json"}, "type": "metrics"}""", "metrics.0", "JSON object" },
        { """{"metrics": {"0": "{\"loss\": true}"}, "type": "metrics"}""", "metrics.0.loss", "expected a number" },
        { """{"metrics": {"0": "{\"loss\": 1}"}, "type": "metrics"} trailing""", "body", "malformed" },
    };

    [Theory]
    [MemberData(nameof(InvalidMetrics))]
    public async Task A_malformed_metrics_body_gets_400_naming_the_field_and_stores_nothing(string body, string field, string detail)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var answer = await new HubSdkClient(hub.Client(null), hub.AdminKey).PostJsonAsync($"/v1/models/{run.Id}", body);
        Assert.Equal(400, answer.Status);
        Assert.False(answer.Body.GetProperty("success").GetBoolean());
        Assert.Equal(field, answer.Body.GetProperty("field").GetString());
        Assert.Contains(detail, answer.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>()).Series);
    }

    public static TheoryData<string[], string> InvalidUploads() => new()
    {
        { ["type=epoch", "isBest=True"], "epoch" },
        { ["epoch=x", "type=epoch"], "epoch" },
        { ["epoch=0"], "type" },
        { ["epoch=0", "type=weights"], "type" },
        { ["epoch=0", "type=epoch", "isBest=maybe"], "isBest" },
        { ["epoch=2", "type=final", "map=nan"], "map" },
    };

    [Theory]
    [MemberData(nameof(InvalidUploads))]
    public async Task A_malformed_upload_gets_400_naming_the_field_and_records_no_checkpoint(string[] fields, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var pairs = fields.Select(f => (f.Split('=')[0], f.Split('=')[1]));
        var answer = await new HubSdkClient(hub.Client(null), hub.AdminKey).PostMultipartAsync($"/v1/models/{run.Id}/upload", pairs, "last.pt", HubSdkClient.FileContent(640, 2));
        Assert.Equal(400, answer.Status);
        Assert.Equal(field, answer.Body.GetProperty("field").GetString());
        Assert.Empty(await (await hub.Admin.GetAsync(HubRoutes.Checkpoints(run.Id))).ReadAsync<List<CheckpointDto>>());
    }

    [Fact]
    public async Task An_upload_that_is_not_multipart_gets_415_and_one_without_a_file_gets_400()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        var client = new HubSdkClient(hub.Client(null), hub.AdminKey);
        Assert.Equal(415, (await client.PostJsonAsync($"/v1/models/{run.Id}/upload", "{}")).Status);
        var boundary = "0123456789abcdef0123456789abcdef";
        var content = new StringContent($"--{boundary}\r\nContent-Disposition: form-data; name=\"epoch\"\r\n\r\n0\r\n--{boundary}--\r\n");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        var answer = await client.SendAsync(HttpMethod.Post, $"/v1/models/{run.Id}/upload", content);
        Assert.Equal((400, "file"), (answer.Status, answer.Body.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Auth_answers_success_for_a_hub_key_and_401_for_a_missing_or_unknown_one()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var (_, key) = await hub.CreateKeyAsync(KeyScope.Read, TestHub.NewProject());
        var ok = await new HubSdkClient(hub.Client(null), key).PostEmptyAsync("/v1/auth");
        Assert.Equal(200, ok.Status);
        Assert.True(ok.Body.GetProperty("success").GetBoolean());

        var unknown = await new HubSdkClient(hub.Client(null), "swk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").PostEmptyAsync("/v1/auth");
        Assert.Equal((401, false, "x-api-key"), (unknown.Status, unknown.Body.GetProperty("success").GetBoolean(), unknown.Body.GetProperty("field").GetString()));
        var anonymous = await hub.Client(null).PostAsync("/v1/auth", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_key_reaches_only_its_project_and_a_read_key_cannot_write()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var project = TestHub.NewProject();
        var run = await hub.CreateRunAsync(project);
        var other = await hub.CreateRunAsync(TestHub.NewProject());
        var (_, readKey) = await hub.CreateKeyAsync(KeyScope.Read, project);
        var reader = new HubSdkClient(hub.Client(null), readKey);

        Assert.Equal(200, (await reader.SendAsync(HttpMethod.Get, $"/v1/models/{run.Id}")).Status);
        Assert.Equal(403, (await reader.SendAsync(HttpMethod.Get, $"/v1/models/{other.Id}")).Status);
        Assert.Equal(403, (await reader.PostJsonAsync($"/v1/models/{run.Id}", """{"metrics": {"0": "{\"a\": 1}"}, "type": "metrics"}""")).Status);
        Assert.Equal(403, (await reader.PostJsonAsync($"/v1/agent/heartbeat/models/{run.Id}", """{"agent": "python", "agentId": null}""")).Status);
        Assert.Equal(403, (await reader.PostJsonAsync("/v1/models", """{"dataset": {"name": "d.yaml"}}""")).Status);
        var missing = await reader.SendAsync(HttpMethod.Get, "/v1/models/GOLDENMODEL001");
        Assert.Equal((404, "modelId"), (missing.Status, missing.Body.GetProperty("field").GetString()));
        Assert.Empty((await (await hub.Admin.GetAsync(HubRoutes.Metrics(run.Id))).ReadAsync<MetricsResponse>()).Series);
    }

    [Fact]
    public async Task A_model_created_with_an_admin_key_goes_to_the_ultralytics_project_and_needs_a_dataset()
    {
        await using var hub = await TestHub.StartAsync();
        var client = new HubSdkClient(hub.Client(null), hub.AdminKey);
        var missing = await client.PostJsonAsync("/v1/models", """{"config": {"epochs": 3}, "meta": {"name": "yolo11n.yaml"}}""");
        Assert.Equal((400, "dataset.name"), (missing.Status, missing.Body.GetProperty("field").GetString()));
        var badEpochs = await client.PostJsonAsync("/v1/models", """{"config": {"epochs": "three"}, "dataset": {"name": "d.yaml"}}""");
        Assert.Equal((400, "config.epochs"), (badEpochs.Status, badEpochs.Body.GetProperty("field").GetString()));

        var created = await client.PostJsonAsync("/v1/models", """{"config": {"cache": "ram"}, "dataset": {"name": "d.yaml"}, "meta": {"name": "yolo11n.pt"}}""");
        Assert.Equal(200, created.Status);
        var list = await (await hub.Admin.GetAsync(HubRoutes.Runs(UltralyticsHubEndpoints.DefaultProject))).ReadAsync<RunListResponse>();
        var run = Assert.Single(list.Items);
        Assert.Equal(created.Body.GetProperty("data").GetProperty("id").GetString(), run.Id);
        Assert.Equal("ram", run.Args!["cache"].GetString());
    }

    [Fact]
    public async Task The_model_page_link_the_client_prints_redirects_to_the_run_page()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var run = await hub.CreateRunAsync(TestHub.NewProject());
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = hub.BaseAddress };
        var response = await browser.GetAsync($"/models/{run.Id}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/#/run/{run.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/models/not-a-run")).StatusCode);
    }

    [Fact]
    public async Task A_bearer_key_works_and_platform_webhooks_get_404_so_the_client_stops_sending_them()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var client = hub.Client(null);
        using var auth = new HttpRequestMessage(HttpMethod.Post, "/v1/auth");
        auth.Headers.Authorization = new("Bearer", hub.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(auth)).StatusCode);

        using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/training/metrics")
        {
            Content = new StringContent("""{"event": "training_started", "project": "p", "name": "train", "data": {}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        webhook.Headers.Authorization = new("Bearer", hub.AdminKey);
        await (await client.SendAsync(webhook)).ProblemAsync(HttpStatusCode.NotFound);
    }
}
