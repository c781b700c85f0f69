using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Http;
using Stepwise.Hub.Session;

namespace Stepwise.Hub.Callbacks;

/// <summary>
/// Streams a training run to a Stepwise Hub with the reference's semantics, minus its data loss: a
/// session at pretrain start (a failure is a warning and the run goes on), rate-limit timers from
/// pretrain end, each epoch's labelled train loss, metrics and learning rates (plus model info at the
/// first epoch) at fit epoch end (written to the run's spool before the trainer rewrites <c>last</c>), a rate-limited <c>last</c> upload at model save, and at train end a
/// flush of every pending metric followed by the blocking upload of <c>best</c> with its final metric.
/// A stop asked for on the server stops training after the current epoch. Usage events on
/// train/val/predict/export start go out only while <c>sync</c> is on.
/// </summary>
public sealed class HubCallbacks : IStatefulCallback
{
    /// <summary>The integration name used in warnings.</summary>
    public const string IntegrationName = "hub";

    /// <summary>The metric sent with the final upload and used to rank runs.</summary>
    public const string PrimaryMetric = "metrics/accuracy_top1";

    private readonly HubCallbackOptions _options;
    private readonly List<Task> _analytics = [];
    private HubSession? _session;
    private string? _clientRunId;
    private bool _stopApplied;
    private bool _training;

    /// <summary>Creates the callbacks.</summary>
    /// <param name="options">Server, key and intervals.</param>
    public HubCallbacks(HubCallbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The running session (null before pretrain start, after train end, or when it could not start).</summary>
    public HubSession? Session => _session;

    /// <summary>The last finish result, after train end.</summary>
    public HubFinishResult? Result { get; private set; }

    /// <inheritdoc />
    public string StateKey => IntegrationName;

    /// <summary>Analytics requests in flight (tests wait for them).</summary>
    public Task AnalyticsCompletion
    {
        get
        {
            lock (_analytics)
            {
                return Task.WhenAll([.. _analytics]);
            }
        }
    }

    /// <summary>Registers the handlers as isolated integration handlers and the run id as checkpoint state.</summary>
    /// <param name="registry">The registry.</param>
    public void Register(CallbackRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddStateful(this);
        registry.AddIntegration(TrainerEvents.PretrainRoutineStart, OnPretrainRoutineStart, IntegrationName);
        registry.AddIntegration(TrainerEvents.PretrainRoutineEnd, OnPretrainRoutineEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.TrainStart, t => SendEvent("train_start", t.Args.Task, t.Logger), IntegrationName);
        registry.AddIntegration(TrainerEvents.TrainEpochEnd, OnTrainEpochEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.FitEpochEnd, OnFitEpochEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.ModelSave, OnModelSave, IntegrationName);
        registry.AddIntegration(TrainerEvents.TrainEnd, OnTrainEnd, IntegrationName);
        registry.AddIntegration(TrainerEvents.Teardown, OnTeardown, IntegrationName);
        registry.AddIntegration(ValidatorEvents.ValStart, v =>
        {
            // The final evaluation inside training is not a standalone validation.
            if (!v.Training && !_training)
            {
                SendEvent("val_start", "classify", v.Logger);
            }
        }, IntegrationName);
        registry.AddIntegration(PredictorEvents.PredictStart, p => SendEvent("predict_start", "classify", p.Logger), IntegrationName);
        registry.AddIntegration(ExporterEvents.ExportStart, e => SendEvent("export_start", "classify", e.Logger), IntegrationName);
    }

    /// <summary><c>on_pretrain_routine_start</c>: starts the session (resuming the run kept in the checkpoint).</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnPretrainRoutineStart(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        _stopApplied = false;
        _training = true;
        var logger = _options.Logger ?? trainer.Logger;
        try
        {
            _session = HubSession.Start(new HubSessionOptions
            {
                ServerUrl = _options.ServerUrl,
                ApiKey = _options.ApiKey,
                Project = _options.Project,
                SpoolDirectory = Path.Combine(trainer.SaveDir, "hub-spool"),
                RunName = Path.GetFileName(trainer.SaveDir.TrimEnd(Path.DirectorySeparatorChar)),
                Task = trainer.Args.Task,
                Args = trainer.ArgsDictionary,
                PrimaryMetric = PrimaryMetric,
                PrimaryMode = MetricMode.Max,
                ClientRunId = _clientRunId,
                MetricsInterval = _options.MetricsInterval,
                CheckpointInterval = _options.CheckpointInterval,
                HeartbeatInterval = _options.HeartbeatInterval,
                RetryPause = _options.RetryPause,
                FlushTimeout = _options.FlushTimeout,
                SpoolLimitBytes = _options.SpoolLimitBytes,
                RequestRetry = _options.RequestRetry,
                UploadRetry = _options.UploadRetry,
                FinalUploadRetry = _options.FinalUploadRetry,
                TimeProvider = _options.TimeProvider ?? TimeProvider.System,
                Logger = logger,
            });
            _clientRunId = _session.ClientRunId;
            _options.Console?.WriteLine($"hub: streaming this run to {_options.ServerUrl} (spool {_session.SpoolDirectory})");
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            _session = null;
            logger.LogWarning("hub: not streaming this run: {Message}", ex.Message);
            _options.Console?.WriteLine($"hub: WARNING not streaming this run: {ex.Message}");
        }
    }

    /// <summary><c>on_pretrain_routine_end</c>: the metrics and checkpoint rate limits start now.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnPretrainRoutineEnd(Trainer trainer) => _session?.RestartTimers();

    /// <summary><c>on_train_epoch_end</c>: applies a stop asked for on the server.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainEpochEnd(Trainer trainer) => ApplyRemoteStop(trainer);

    /// <summary><c>on_fit_epoch_end</c>: queues the epoch's loss, metrics and learning rates (model info at the first epoch).</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnFitEpochEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_session is not { } session)
        {
            return;
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in trainer.LabelLossItems("train"))
        {
            values[k] = v;
        }

        foreach (var (k, v) in trainer.Metrics)
        {
            values[k] = v;
        }

        foreach (var (k, v) in trainer.Lr)
        {
            values[k] = v;
        }

        if (trainer.Epoch == 0)
        {
            foreach (var (k, v) in trainer.ModelInfoForLoggers())
            {
                values[k] = v;
            }
        }

        session.EnqueueMetrics(trainer.Epoch, values);

        // The trainer rewrites 'last' right after this event: the epoch must be on disk first, or a
        // process killed now would resume after an epoch whose metrics were only in memory.
        session.Persist();
        ApplyRemoteStop(trainer);
    }

    /// <summary><c>on_model_save</c>: queues <c>last</c> when the checkpoint interval has passed.</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnModelSave(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_session is { } session && File.Exists(trainer.LastPath))
        {
            session.TryQueueCheckpoint(trainer.LastPath, trainer.Epoch);
        }
    }

    /// <summary>
    /// <c>on_train_end</c>: flushes every pending metric, uploads <c>best</c> with its final metric
    /// (with a progress bar), sets the run's status and ends the session. Bounded in time; what does
    /// not get through stays in the spool.
    /// </summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTrainEnd(Trainer trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (_session is not { } session)
        {
            return;
        }

        _session = null;
        var status = trainer.Status switch
        {
            RunStatus.Completed or RunStatus.EarlyStopped => HubRunStatus.Finished,
            RunStatus.Failed => HubRunStatus.Failed,
            _ => HubRunStatus.Stopped,
        };
        double? metric = trainer.Metrics.TryGetValue(PrimaryMetric, out var m) ? m : null;
        var finish = new HubFinish(status, File.Exists(trainer.BestPath) ? trainer.BestPath : null, trainer.Stopper.BestEpoch, PrimaryMetric, metric);
        var bar = new UploadProgressBar(_options.Console, _options.IsTerminal, Path.GetFileName(trainer.BestPath));
        try
        {
            Result = session.FinishAsync(finish, bar).GetAwaiter().GetResult();
            bar.Complete();
            _options.Console?.WriteLine(Result.Delivered
                ? $"hub: run {Result.RunId} complete on {_options.ServerUrl}"
                : $"hub: {Result.PendingInSpool} item(s) kept in {session.SpoolDirectory}; run 'stepwise hub sync {trainer.SaveDir}' to send them.");
        }
        finally
        {
            session.Dispose();
        }
    }

    /// <summary><c>teardown</c>: ends a session that train end did not (nothing is lost: it stays in the spool).</summary>
    /// <param name="trainer">The trainer.</param>
    public void OnTeardown(Trainer trainer)
    {
        _training = false;
        var session = _session;
        _session = null;
        session?.Dispose();
    }

    /// <inheritdoc />
    public JsonNode? SaveState() => _clientRunId is null
        ? null
        : new JsonObject { ["clientRunId"] = _clientRunId, ["runId"] = _session?.RunId ?? Result?.RunId };

    /// <inheritdoc />
    public void RestoreState(JsonNode? state)
    {
        if (state is JsonObject o && o["clientRunId"]?.GetValueKind() == JsonValueKind.String)
        {
            _clientRunId = o["clientRunId"]!.GetValue<string>();
        }
    }

    private void ApplyRemoteStop(Trainer trainer)
    {
        if (!_stopApplied && _session?.StopReason is { } reason)
        {
            _stopApplied = true;
            trainer.Logger.LogWarning("hub: stopping after this epoch as asked on the Hub: {Reason}", reason);
            _options.Console?.WriteLine($"hub: stopping after this epoch as asked on the Hub: {reason}");
            trainer.RequestStop($"stopped from the Hub: {reason}");
        }
    }

    private void SendEvent(string name, string task, ILogger? logger)
    {
        if (_options.SyncEnabled is not { } sync || !sync())
        {
            return;
        }

        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["task"] = JsonSerializer.SerializeToElement(task),
            ["version"] = JsonSerializer.SerializeToElement(typeof(HubCallbacks).Assembly.GetName().Version?.ToString(3)),
            ["os"] = JsonSerializer.SerializeToElement(RuntimeInformation.OSDescription),
            ["dotnet"] = JsonSerializer.SerializeToElement(Environment.Version.ToString()),
        };
        if (_options.InstallationId is { Length: > 0 } id)
        {
            properties["installation"] = JsonSerializer.SerializeToElement(id);
        }

        var time = _options.TimeProvider ?? TimeProvider.System;
        string body = JsonSerializer.Serialize(new EventsBatchRequest([new AnalyticsEvent(name, time.GetUtcNow(), properties)]), HubJson.Options);
        var log = _options.Logger ?? logger ?? NullLogger.Instance;
        var task2 = Task.Run(async () =>
        {
            // Best effort and off the calling thread: a few quick attempts, then forget it.
            using var transport = new HubTransport(_options.ServerUrl, _options.ApiKey, time, NullLogger.Instance);
            try
            {
                await transport.SendAsync(
                    new HubRequest(HttpMethod.Post, HubRoutes.Events, () => new StringContent(body, System.Text.Encoding.UTF8, "application/json")),
                    new HubRetryOptions { AttemptTimeout = TimeSpan.FromSeconds(10), MaxRetries = 1, TotalTimeout = TimeSpan.FromSeconds(20) },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (HubRequestException ex)
            {
                log.LogDebug("hub: usage event {Name} not sent: {Message}", name, ex.Message);
            }
        });
        lock (_analytics)
        {
            _analytics.RemoveAll(t => t.IsCompleted);
            _analytics.Add(task2);
        }
    }

    /// <summary>A one-line progress bar for the final upload, on the bytes actually sent.</summary>
    private sealed class UploadProgressBar(TextWriter? writer, bool terminal, string name) : IProgress<HubUploadProgress>
    {
        private const int Width = 12;
        private HubUploadProgress _last;
        private int _lastPercent = -1;
        private bool _drawn;

        public void Report(HubUploadProgress value)
        {
            _last = value;
            int percent = value.Total == 0 ? 100 : (int)(100 * value.Sent / value.Total);
            if (writer is null || !terminal || percent == _lastPercent)
            {
                return;
            }

            _lastPercent = percent;
            _drawn = true;
            writer.Write("\r" + Line(value, percent) + "\u001b[K");
        }

        public void Complete()
        {
            if (writer is null || _last.Total == 0 && !_drawn)
            {
                return;
            }

            int percent = _last.Total == 0 ? 100 : (int)(100 * _last.Sent / _last.Total);
            writer.WriteLine((terminal ? "\r" : string.Empty) + Line(_last, percent) + (terminal ? "\u001b[K" : string.Empty));
        }

        private string Line(HubUploadProgress value, int percent)
        {
            int filled = Width * percent / 100;
            return string.Create(CultureInfo.InvariantCulture,
                $"hub: uploading {name} {percent,3}% {new string('━', filled)}{new string('─', Width - filled)} {Size(value.Sent)}/{Size(value.Total)}");
        }

        private static string Size(long bytes) => bytes switch
        {
            < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes}B"),
            < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0}kB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0}MB"),
        };
    }
}
