using System.Security.Cryptography;
using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Http;
using Stepwise.Hub.Session;
using Stepwise.Hub.Tests.Support;

namespace Stepwise.Hub.Tests.Session;

public sealed class HubSessionTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly ListLogger _log = new();
    private readonly TempDirectory _dir = new();
    private string? _stopReason;
    private FaultServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FaultServer.StartAsync();
        _server.Fallback = FakeHub.Answers(() => _stopReason);
        _server.OnRequest = _clock.Mark;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private HubSessionOptions Options(string? clientRunId = null) => new()
    {
        ServerUrl = _server.Url,
        ApiKey = "swk_test",
        SpoolDirectory = _dir.Combine("run", "hub-spool"),
        RunName = "train",
        Task = "classify",
        Args = new Dictionary<string, object?> { ["epochs"] = 3, ["lr0"] = 0.01, ["optimizer"] = "SGD", ["save_dir"] = null },
        ClientRunId = clientRunId,
        MetricsInterval = TimeSpan.FromSeconds(3),
        CheckpointInterval = TimeSpan.FromSeconds(900),
        HeartbeatInterval = TimeSpan.FromSeconds(300),
        RetryPause = TimeSpan.FromSeconds(30),
        RequestRetry = new HubRetryOptions { MaxRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromSeconds(60) },
        FlushTimeout = TimeSpan.FromSeconds(60),
        TimeProvider = _clock,
        Logger = _log,
    };

    private async Task<HubSession> StartedAsync(HubSessionOptions? options = null)
    {
        var session = HubSession.Start(options ?? Options());
        await Wait.UntilAsync(() => session.RunId is not null, "the run to be created");
        return session;
    }

    private static Dictionary<string, double> Metrics(double loss) => new() { ["train/loss"] = loss, ["metrics/accuracy_top1"] = 1 - loss };

    private IEnumerable<RecordedRequest> Requests(string method, string suffix) =>
        _server.Requests.Where(r => r.Method == method && r.Path.EndsWith(suffix, StringComparison.Ordinal));

    private static List<MetricPoint> Points(RecordedRequest request) =>
        [.. JsonSerializer.Deserialize<MetricsBatchRequest>(request.Body, HubJson.Options)!.Points];

    [Fact]
    public async Task The_run_is_created_in_the_keys_project_with_a_client_run_id_args_and_client_info()
    {
        await using var session = await StartedAsync();

        Assert.Equal(FakeHub.RunId, session.RunId);
        Assert.Equal("/api/v1/me", _server.Requests[0].Path);
        var create = Assert.Single(Requests("POST", "/runs"));
        Assert.Equal("/api/v1/projects/demo/runs", create.Path);
        var body = JsonSerializer.Deserialize<CreateRunRequest>(create.Body, HubJson.Options)!;
        Assert.Equal("train", body.Name);
        Assert.Equal("classify", body.Task);
        Assert.Equal(session.ClientRunId, body.ClientRunId);
        Assert.Matches("^[0-9a-f]{32}$", session.ClientRunId);
        Assert.Equal(3, body.Args!["epochs"].GetInt32());
        Assert.Equal("SGD", body.Args["optimizer"].GetString());
        Assert.Equal(JsonValueKind.Null, body.Args["save_dir"].ValueKind);
        Assert.Equal("stepwise", body.Client!.Name);
    }

    [Fact]
    public async Task Metrics_go_out_at_most_every_interval_with_the_epochs_in_between_in_one_request()
    {
        await using var session = await StartedAsync();

        session.EnqueueMetrics(0, Metrics(0.9));
        session.EnqueueMetrics(1, Metrics(0.8));
        await Wait.UntilAsync(() => session.PendingCount == 2, "both epochs spooled");
        Assert.Empty(Requests("POST", "/metrics"));

        _clock.Advance(TimeSpan.FromSeconds(3));
        await Wait.UntilAsync(() => session.PendingCount == 0, "the metrics to be sent");

        var request = Assert.Single(Requests("POST", "/metrics"));
        Assert.Equal($"/api/v1/runs/{FakeHub.RunId}/metrics", request.Path);
        var points = Points(request);
        Assert.Equal([0L, 1L], points.Select(p => p.Step));
        Assert.Equal([0, 1], points.Select(p => p.Epoch!.Value));
        Assert.Equal(0.8, points[1].Values["train/loss"]);

        session.EnqueueMetrics(2, Metrics(0.7));
        await Wait.UntilAsync(() => session.PendingCount == 1, "epoch 2 spooled");
        Assert.Single(Requests("POST", "/metrics"));
        _clock.Advance(TimeSpan.FromSeconds(3));
        await Wait.UntilAsync(() => session.PendingCount == 0, "epoch 2 to be sent");
        Assert.Equal([2L], Points(Requests("POST", "/metrics").Last()).Select(p => p.Step));
    }

    [Fact]
    public async Task Metrics_that_failed_are_merged_into_the_next_send()
    {
        await using var session = await StartedAsync();
        _server.Then(FaultServer.Status(503));
        session.EnqueueMetrics(0, Metrics(0.9));
        await Wait.UntilAsync(() => session.PendingCount == 1, "epoch 0 spooled");

        _clock.Advance(TimeSpan.FromSeconds(3));
        await _server.WaitForRequestsAsync(3);
        session.EnqueueMetrics(1, Metrics(0.8));
        await Wait.UntilAsync(() => session.PendingCount == 2, "epoch 1 spooled next to the failed epoch 0");
        Assert.Contains(_log.Warnings, w => w.Contains("could not send metrics", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromSeconds(30));
        await Wait.UntilAsync(() => session.PendingCount == 0, "the merged send");

        var sends = Requests("POST", "/metrics").ToList();
        Assert.Equal(2, sends.Count);
        Assert.Equal([0L], Points(sends[0]).Select(p => p.Step));
        Assert.Equal([0L, 1L], Points(sends[1]).Select(p => p.Step));
    }

    [Fact]
    public async Task Non_finite_values_are_left_out_with_one_warning_per_name()
    {
        await using var session = await StartedAsync();
        session.EnqueueMetrics(0, new Dictionary<string, double> { ["train/loss"] = double.NaN, ["val/loss"] = 1 });
        session.EnqueueMetrics(1, new Dictionary<string, double> { ["train/loss"] = double.PositiveInfinity, ["val/loss"] = 2 });
        await Wait.UntilAsync(() => session.PendingCount == 2, "spooled");
        _clock.Advance(TimeSpan.FromSeconds(3));
        await Wait.UntilAsync(() => session.PendingCount == 0, "sent");

        var points = Points(Requests("POST", "/metrics").Single());
        Assert.All(points, p => Assert.Equal(["val/loss"], p.Values.Keys));
        Assert.Single(_log.Warnings, w => w.Contains("'train/loss'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Heartbeats_come_every_interval_and_really_stop_when_the_session_finishes()
    {
        var session = await StartedAsync();
        for (int i = 1; i <= 3; i++)
        {
            await _clock.WaitUntilAsync(c => c.ArmedDueTimes.Contains(TimeSpan.FromSeconds(300)), "the heartbeat timer");
            _clock.Advance(TimeSpan.FromSeconds(300));
            await Wait.UntilAsync(() => session.HeartbeatCount == i, $"heartbeat {i}");
        }

        var beats = Requests("POST", "/heartbeat").ToList();
        Assert.Equal(3, beats.Count);
        Assert.Equal($"/api/v1/runs/{FakeHub.RunId}/heartbeat", beats[0].Path);

        await session.FinishAsync(new HubFinish(HubRunStatus.Finished));
        await session.DisposeAsync();
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(3, Requests("POST", "/heartbeat").Count());
        Assert.Equal(0, _clock.ArmedCount);
    }

    [Fact]
    public async Task A_stop_asked_on_the_server_is_reported_with_its_reason()
    {
        await using var session = await StartedAsync();
        string? raised = null;
        session.StopRequested += (_, reason) => raised = reason;
        Assert.False(session.IsStopRequested);

        _stopReason = "diverged, stopped by alice";
        session.EnqueueMetrics(0, Metrics(0.5));
        _clock.Advance(TimeSpan.FromSeconds(3));
        await Wait.UntilAsync(() => session.IsStopRequested, "the stop request");

        Assert.Equal("diverged, stopped by alice", session.StopReason);
        Assert.Equal("diverged, stopped by alice", raised);
    }

    [Fact]
    public async Task A_checkpoint_is_queued_at_most_every_interval_and_uploads_the_file_as_it_was()
    {
        await using var session = await StartedAsync();
        string last = _dir.Combine("last.safetensors");
        byte[] epoch3 = RandomNumberGenerator.GetBytes(5000);
        File.WriteAllBytes(last, epoch3);

        Assert.False(session.TryQueueCheckpoint(last, 0));
        _clock.Advance(TimeSpan.FromSeconds(900));
        Assert.True(session.TryQueueCheckpoint(last, 3));
        File.WriteAllBytes(last, RandomNumberGenerator.GetBytes(7000));
        Assert.False(session.TryQueueCheckpoint(last, 4));
        await Wait.UntilAsync(() => session.PendingCount == 0, "the upload");

        var upload = Assert.Single(Requests("POST", "/checkpoints"));
        Assert.Equal(epoch3, upload.Body);
        Assert.Equal("application/octet-stream", upload.Headers["Content-Type"]);
        var query = System.Web.HttpUtility.ParseQueryString(upload.Query);
        Assert.Equal("last", query["kind"]);
        Assert.Equal("3", query["epoch"]);
        Assert.Equal("last.safetensors", query["name"]);
        Assert.Equal("5000", query["size"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(epoch3)), query["sha256"]);
    }

    [Fact]
    public async Task Finishing_flushes_every_pending_metric_then_uploads_best_with_its_metric_then_sets_the_status()
    {
        var session = await StartedAsync();
        string best = _dir.Combine("best.safetensors");
        File.WriteAllBytes(best, RandomNumberGenerator.GetBytes(3000));
        session.EnqueueMetrics(0, Metrics(0.9));
        session.EnqueueMetrics(1, Metrics(0.8));
        var progress = new List<HubUploadProgress>();

        var result = await session.FinishAsync(
            new HubFinish(HubRunStatus.Finished, best, 1, "metrics/accuracy_top1", 0.875),
            new SyncProgress(progress.Add));
        await session.DisposeAsync();

        Assert.True(result.Delivered);
        Assert.Equal(0, result.PendingInSpool);
        var tail = _server.Requests.Skip(2).Select(r => r.Method + " " + r.Path.Split('/')[^1]).ToList();
        Assert.Equal(["POST metrics", "POST checkpoints", "PATCH " + FakeHub.RunId], tail);
        Assert.Equal([0L, 1L], Points(_server.Requests[2]).Select(p => p.Step));
        var query = System.Web.HttpUtility.ParseQueryString(_server.Requests[3].Query);
        Assert.Equal("final", query["kind"]);
        Assert.Equal("best.safetensors", query["name"]);
        Assert.Equal("metrics/accuracy_top1", query["metricName"]);
        Assert.Equal("0.875", query["metricValue"]);
        Assert.Equal(File.ReadAllBytes(best), _server.Requests[3].Body);
        Assert.Equal("{\"status\":\"finished\"}", _server.Requests[4].BodyText);
        Assert.Equal(3000, progress[^1].Sent);
        Assert.All(progress, p => Assert.Equal(3000, p.Total));
        Assert.False(session.EnqueueMetrics(2, Metrics(0.1)));
    }

    [Fact]
    public async Task A_hung_server_bounds_the_finish_and_everything_stays_in_the_spool_for_the_next_session()
    {
        var session = await StartedAsync();
        string best = _dir.Combine("best.safetensors");
        File.WriteAllBytes(best, RandomNumberGenerator.GetBytes(2000));
        session.EnqueueMetrics(0, Metrics(0.9));
        await Wait.UntilAsync(() => session.PendingCount == 1, "spooled");
        _server.Fallback = _server.Hang();

        var steps = new List<string>();
        var finishing = session.FinishAsync(new HubFinish(HubRunStatus.Finished, best, 0, "metrics/accuracy_top1", 0.5));
        while (!finishing.IsCompleted)
        {
            // Only the finish's own timeouts are left once the background loops have stopped.
            await _clock.WaitUntilAsync(c => (session.LoopsStopped && c.ArmedCount > 0) || finishing.IsCompleted, "a timeout to pass");
            var due = _clock.ArmedDueTimes;
            if (_clock.TryAdvanceToNext())
            {
                steps.Add(string.Join(",", due));
            }
        }

        var result = await finishing;
        await session.DisposeAsync();
        string story = $"{result}; clock {_clock.Elapsed}; advanced to {string.Join(" | ", steps)}; log: {string.Join(" | ", _log.Entries.Select(e => e.Message))}";
        Assert.True(!result.Delivered && result.PendingInSpool == 2, story);
        Assert.True(_clock.Elapsed <= TimeSpan.FromSeconds(60 + 600 + 30), story);
        Assert.Contains(_log.Warnings, w => w.Contains("kept in", StringComparison.Ordinal));

        // The server is back: the next session in the same run directory replays both items.
        _server.Fallback = FakeHub.Answers();
        int before = _server.Requests.Count;
        await using var next = HubSession.Start(Options(session.ClientRunId));
        await Wait.UntilAsync(() => next.PendingCount == 0, "the replay");
        var replay = _server.Requests.Skip(before).Select(r => r.Method + " " + r.Path.Split('/')[^1]).ToList();
        Assert.True(replay.Contains("POST metrics") && replay.Contains("POST checkpoints") && !replay.Contains("GET me"), string.Join(", ", replay));
    }

    [Fact]
    public async Task A_400_drops_only_the_refused_metrics_with_the_servers_reason_and_later_epochs_still_flow()
    {
        await using var session = await StartedAsync();
        _server.Then(FaultServer.Json(400, """{"title":"Invalid request","detail":"points[0].values: too many values","field":"points[0].values"}"""));
        session.EnqueueMetrics(0, Metrics(0.9));
        await Wait.UntilAsync(() => session.PendingCount == 1, "spooled");
        _clock.Advance(TimeSpan.FromSeconds(3));
        await Wait.UntilAsync(() => session.PendingCount == 0, "epoch 0 dropped");

        session.EnqueueMetrics(1, Metrics(0.8));
        await Wait.UntilAsync(() => session.PendingCount == 1, "epoch 1 spooled");
        _clock.Advance(TimeSpan.FromSeconds(3));
        await Wait.UntilAsync(() => session.PendingCount == 0, "epoch 1 sent");

        var sends = Requests("POST", "/metrics").ToList();
        Assert.Equal(2, sends.Count);
        Assert.Equal([1L], Points(sends[1]).Select(p => p.Step));
        Assert.Contains(_log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error
            && e.Message.Contains("epoch(s) 0", StringComparison.Ordinal)
            && e.Message.Contains("too many values", StringComparison.Ordinal)
            && e.Message.Contains("points[0].values", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_key_stops_all_sending_and_keeps_everything_in_the_spool()
    {
        _server.Then(FaultServer.Json(401, """{"title":"Unauthorized","detail":"unknown or revoked API key"}"""));
        await using var session = HubSession.Start(Options());
        session.EnqueueMetrics(0, Metrics(0.9));
        await Wait.UntilAsync(() => session.PendingCount == 1, "spooled");
        await _clock.WaitUntilAsync(_ => _log.Entries.Any(e => e.Message.Contains("refused the API key", StringComparison.Ordinal)), "the key error");
        _clock.Advance(TimeSpan.FromMinutes(10));

        var result = await session.FinishAsync(new HubFinish(HubRunStatus.Finished));

        Assert.Single(_server.Requests);
        Assert.Null(session.RunId);
        Assert.False(result.Delivered);
        Assert.Equal(1, result.PendingInSpool);
        Assert.Contains(_log.Entries, e => e.Message.Contains("unknown or revoked API key", StringComparison.Ordinal) && e.Message.Contains("hub sync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_server_stopped_mid_run_and_restarted_later_ends_with_every_epoch_once_in_one_run()
    {
        await using var hub = await LiveHub.StartAsync();
        var retry = new HubRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(10), AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(10) };
        HubSessionOptions LiveOptions(Uri url, string? clientRunId) => new()
        {
            ServerUrl = url,
            ApiKey = hub.AdminKey,
            SpoolDirectory = _dir.Combine("live", "hub-spool"),
            RunName = "outage",
            ClientRunId = clientRunId,
            MetricsInterval = TimeSpan.Zero,
            RetryPause = TimeSpan.FromMilliseconds(20),
            QueuePollInterval = TimeSpan.FromMilliseconds(10),
            RequestRetry = retry,
            FinalUploadRetry = retry,
            FlushTimeout = TimeSpan.FromSeconds(5),
        };

        var first = HubSession.Start(LiveOptions(hub.Url, null));
        first.EnqueueMetrics(0, Metrics(0.9));
        first.EnqueueMetrics(1, Metrics(0.8));
        await Wait.UntilAsync(() => first.RunId is not null && first.PendingCount == 0, "epochs 0-1 delivered");

        await hub.StopAsync();
        first.EnqueueMetrics(2, Metrics(0.7));
        first.EnqueueMetrics(3, Metrics(0.6));
        var down = await first.FinishAsync(new HubFinish(HubRunStatus.Finished));
        await first.DisposeAsync();
        Assert.False(down.Delivered);
        Assert.Equal(2, down.PendingInSpool);

        // Later: the server is back (same data, new address); the next session replays the spool.
        await hub.StartAgainAsync();
        var second = HubSession.Start(LiveOptions(hub.Url, first.ClientRunId));
        second.EnqueueMetrics(1, Metrics(0.8));
        second.EnqueueMetrics(4, Metrics(0.5));
        var up = await second.FinishAsync(new HubFinish(HubRunStatus.Finished));
        await second.DisposeAsync();

        Assert.True(up.Delivered);
        var run = Assert.Single(await hub.RunsAsync());
        Assert.Equal(first.RunId, run.Id);
        Assert.Equal(HubRunStatus.Finished, run.Status);
        var loss = (await hub.SeriesAsync(run.Id)).Single(s => s.Name == "train/loss");
        Assert.Equal([0L, 1L, 2L, 3L, 4L], loss.Points.Select(p => p.Step));
        Assert.Equal([0.9, 0.8, 0.7, 0.6, 0.5], loss.Points.Select(p => p.Value));
    }

    private sealed class SyncProgress(Action<HubUploadProgress> report) : IProgress<HubUploadProgress>
    {
        public void Report(HubUploadProgress value) => report(value);
    }
}
