using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Hub.Callbacks;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Tests.Support;

namespace Stepwise.Hub.Tests.Callbacks;

public sealed class HubCallbacksTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task AssertSeriesAsync(LiveHub hub, string runId, Dictionary<int, Dictionary<string, double>> expected)
    {
        var series = (await hub.SeriesAsync(runId)).ToDictionary(s => s.Name);
        foreach (var name in expected.Values.SelectMany(v => v.Keys).Distinct())
        {
            var points = series[name].Points;
            var epochs = expected.Where(e => e.Value.ContainsKey(name)).OrderBy(e => e.Key).ToList();
            Assert.Equal(epochs.Select(e => (long)e.Key), points.Select(p => p.Step));
            Assert.Equal(epochs.Select(e => e.Value[name]), points.Select(p => p.Value));
        }
    }

    [Fact]
    public async Task A_full_engine_run_appears_on_the_server_with_every_epoch_once_and_the_best_checkpoint_intact()
    {
        await using var hub = await LiveHub.StartAsync();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var epochs = TrainingRun.RecordEpochs(registry);
        var console = new StringWriter();
        var callbacks = new HubCallbacks(TrainingRun.Options(hub.Url, hub.AdminKey, console) with { CheckpointInterval = TimeSpan.Zero });
        callbacks.Register(registry);
        var trainer = TrainingRun.Create(TrainingRun.Args(_dir.Path, epochs: 4), registry);

        trainer.Train();

        Assert.True(callbacks.Result!.Delivered);
        Assert.Contains($"hub: uploading best.safetensors 100% ━━━━━━━━━━━━ ", console.ToString(), StringComparison.Ordinal);
        Assert.Contains($"hub: run {callbacks.Result.RunId} complete on {hub.Url}", console.ToString(), StringComparison.Ordinal);
        var run = Assert.Single(await hub.RunsAsync());
        Assert.Equal(callbacks.Result.RunId, run.Id);
        Assert.Equal(HubRunStatus.Finished, run.Status);
        Assert.Equal("train", run.Name);
        Assert.Equal("classify", run.Task);
        Assert.Equal(4, run.Args!["epochs"].GetInt32());
        Assert.Equal(4, epochs.Count);
        await AssertSeriesAsync(hub, run.Id, epochs);
        var series = await hub.SeriesAsync(run.Id);
        Assert.Equal([0L], series.Single(s => s.Name == "model/parameters").Points.Select(p => p.Step));

        var checkpoints = await hub.CheckpointsAsync(run.Id);
        var final = Assert.Single(checkpoints, c => c.Kind == CheckpointKind.Final);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(trainer.BestPath))), final.Sha256);
        Assert.Equal("best.safetensors", final.Name);
        Assert.Equal(HubCallbacks.PrimaryMetric, final.MetricName);
        Assert.Equal(trainer.Metrics[HubCallbacks.PrimaryMetric], final.MetricValue);
        Assert.Equal([0, 1, 2, 3], checkpoints.Where(c => c.Kind == CheckpointKind.Last).Select(c => c.Epoch!.Value).Order());
        Assert.False(Directory.EnumerateFiles(Path.Combine(trainer.SaveDir, "hub-spool", "files")).Any());
    }

    [Fact]
    public async Task A_run_interrupted_while_the_server_was_down_replays_its_spool_when_resumed()
    {
        await using var hub = await LiveHub.StartAsync();
        Uri dead;
        await using (var gone = await FaultServer.StartAsync())
        {
            dead = gone.Url;
        }

        // First session: the server cannot be reached, and the run is interrupted during epoch 2.
        using var interrupt = new CancellationTokenSource();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var epochs = TrainingRun.RecordEpochs(registry);
        registry.Add(TrainerEvents.FitEpochEnd, t =>
        {
            if (t.Epoch == 1)
            {
                interrupt.Cancel();
            }
        });
        var first = new HubCallbacks(TrainingRun.Options(dead, hub.AdminKey));
        first.Register(registry);
        var trainer = TrainingRun.Create(TrainingRun.Args(_dir.Path, epochs: 4), registry, interrupt.Token);
        trainer.Train();
        Assert.Equal(RunStatus.StoppedByCallback, trainer.Status);
        Assert.False(first.Result!.Delivered);
        Assert.Null(first.Result.RunId);
        Assert.Empty(await hub.RunsAsync());

        // Resumed with the server up: the spool goes first, then the remaining epochs, into one run.
        var registry2 = new CallbackRegistry(rank: RankInfo.Single);
        var epochs2 = TrainingRun.RecordEpochs(registry2);
        var second = new HubCallbacks(TrainingRun.Options(hub.Url, hub.AdminKey));
        second.Register(registry2);
        var resumed = TrainingRun.Create(TrainingRun.Args(_dir.Path, 4, ("resume", "true"), ("model", trainer.LastPath)), registry2);
        resumed.Train();

        Assert.True(second.Result!.Delivered);
        var run = Assert.Single(await hub.RunsAsync());
        Assert.Equal(HubRunStatus.Finished, run.Status);
        Assert.Equal(first.Session?.ClientRunId ?? run.ClientRunId, run.ClientRunId);
        foreach (var (epoch, values) in epochs2)
        {
            epochs[epoch] = values;
        }

        Assert.Equal([0, 1, 2, 3], epochs.Keys.Order());
        await AssertSeriesAsync(hub, run.Id, epochs);
    }

    [Fact]
    public async Task A_stop_asked_on_the_server_stops_training_after_the_current_epoch()
    {
        await using var hub = await LiveHub.StartAsync();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var callbacks = new HubCallbacks(TrainingRun.Options(hub.Url, hub.AdminKey) with
        {
            MetricsInterval = TimeSpan.Zero,
            HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        });

        // Runs before the hub's own handler: asks for the stop on the server and waits until the
        // session has heard of it (through a heartbeat), so the hub applies it in this very epoch.
        registry.Add(TrainerEvents.TrainEpochEnd, t =>
        {
            if (t.Epoch != 2)
            {
                return;
            }

            var session = callbacks.Session!;
            Assert.True(SpinWait.SpinUntil(() => session.RunId is not null, TimeSpan.FromSeconds(20)), "the run was not created");
            using var response = hub.Client.PostAsJsonAsync(HubRoutes.Stop(session.RunId!), new StopRunRequest("loss diverged"), HubJson.Options).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            Assert.True(SpinWait.SpinUntil(() => session.IsStopRequested, TimeSpan.FromSeconds(20)), "the stop did not reach the client");
        });
        callbacks.Register(registry);
        var trainer = TrainingRun.Create(TrainingRun.Args(_dir.Path, epochs: 10), registry);

        trainer.Train();

        Assert.Equal(RunStatus.StoppedByCallback, trainer.Status);
        Assert.Equal(2, trainer.Epoch);
        Assert.Equal("stopped from the Hub: loss diverged", trainer.StopReason);
        var run = Assert.Single(await hub.RunsAsync());
        Assert.Equal(HubRunStatus.Stopped, run.Status);
        Assert.Equal([0L, 1L, 2L], (await hub.SeriesAsync(run.Id)).Single(s => s.Name == "train/loss").Points.Select(p => p.Step));
    }

    [Fact]
    public async Task A_dead_server_costs_training_nothing_but_a_warning_and_leaves_everything_in_the_spool()
    {
        Uri dead;
        await using (var gone = await FaultServer.StartAsync())
        {
            dead = gone.Url;
        }

        var console = new StringWriter();
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var callbacks = new HubCallbacks(TrainingRun.Options(dead, "swk_x", console));
        callbacks.Register(registry);
        var trainer = TrainingRun.Create(TrainingRun.Args(_dir.Path, epochs: 3), registry);

        trainer.Train();

        Assert.Equal(RunStatus.Completed, trainer.Status);
        Assert.False(callbacks.Result!.Delivered);
        Assert.Equal(4, callbacks.Result.PendingInSpool);
        Assert.Contains("stepwise hub sync", console.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(trainer.SaveDir, "hub-spool", "journal.jsonl")));
    }

    [Fact]
    public async Task With_sync_off_no_usage_event_is_sent_and_turning_it_on_takes_effect_at_the_next_event()
    {
        await using var server = await FaultServer.StartAsync();
        server.Fallback = FakeHub.Answers();
        bool sync = false;
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        var callbacks = new HubCallbacks(TrainingRun.Options(server.Url, "swk_x") with { SyncEnabled = () => sync, InstallationId = "inst-1" });
        callbacks.Register(registry);

        TrainingRun.Create(TrainingRun.Args(_dir.Path, epochs: 1), registry).Train();
        await callbacks.AnalyticsCompletion;
        Assert.DoesNotContain(server.Requests, r => r.Path == "/api/v1/events");

        sync = true;
        TrainingRun.Create(TrainingRun.Args(_dir.Path, epochs: 1), registry).Train();
        await callbacks.AnalyticsCompletion;

        var request = Assert.Single(server.Requests, r => r.Path == "/api/v1/events");
        var batch = JsonSerializer.Deserialize<EventsBatchRequest>(request.Body, HubJson.Options)!;
        var e = Assert.Single(batch.Events);
        Assert.Equal("train_start", e.Name);
        Assert.Equal("classify", e.Properties!["task"].GetString());
        Assert.Equal("inst-1", e.Properties["installation"].GetString());
    }

    [Fact]
    public async Task Turning_sync_off_during_a_run_stops_usage_events_at_once()
    {
        await using var server = await FaultServer.StartAsync();
        server.Fallback = FakeHub.Answers();
        bool sync = true;
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        registry.Add(TrainerEvents.PretrainRoutineEnd, _ => sync = false);
        var callbacks = new HubCallbacks(TrainingRun.Options(server.Url, "swk_x") with { SyncEnabled = () => sync });
        callbacks.Register(registry);

        TrainingRun.Create(TrainingRun.Args(_dir.Path, epochs: 1), registry).Train();
        await callbacks.AnalyticsCompletion;

        Assert.DoesNotContain(server.Requests, r => r.Path == "/api/v1/events");
        Assert.Contains(server.Requests, r => r.Path.EndsWith("/metrics", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_run_id_travels_in_the_checkpoint_state()
    {
        var callbacks = new HubCallbacks(TrainingRun.Options(new Uri("http://127.0.0.1:9"), "k"));
        Assert.Null(callbacks.SaveState());

        callbacks.RestoreState(new System.Text.Json.Nodes.JsonObject { ["clientRunId"] = "0123456789abcdef0123456789abcdef", ["runId"] = "r1" });

        Assert.Equal("0123456789abcdef0123456789abcdef", callbacks.SaveState()!["clientRunId"]!.GetValue<string>());
        Assert.Equal("hub", callbacks.StateKey);
    }
}
