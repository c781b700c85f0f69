using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Http;
using Stepwise.Hub.Spool;

namespace Stepwise.Hub.Session;

/// <summary>
/// One training run streamed to a Stepwise Hub: creates (or resumes) the run, sends metrics at most
/// every <see cref="HubSessionOptions.MetricsInterval"/>, uploads <c>last</c> checkpoints at most every
/// <see cref="HubSessionOptions.CheckpointInterval"/>, heartbeats, and reports a stop asked for on the
/// server. Everything goes through a durable on-disk spool first, so an outage or a killed process
/// loses nothing: the next session (or <c>stepwise hub sync</c>) replays it, and the server's
/// idempotency keeps replays from duplicating.
/// </summary>
/// <remarks>
/// Only <see cref="FinishAsync"/> waits for the network; everything else returns at once and the
/// work happens on background loops. <see cref="EnqueueMetrics(int, Dictionary{string, double})"/> is
/// meant for the training thread: it copies the values into a lock-free queue and returns without
/// waking anything; the sender picks the queue up within <see cref="HubSessionOptions.QueuePollInterval"/>.
/// </remarks>
public sealed class HubSession : IAsyncDisposable, IDisposable
{
    private const int MaxValuesPerRequest = 5_000;
    private readonly HubSessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HubTransport _transport;
    private readonly HubSpool _spool;
    private readonly ConcurrentQueue<QueuedMetrics> _queue = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stopPump = new();
    private readonly CancellationTokenSource _stopHeartbeat = new();
    private readonly HashSet<string> _warnedNonFinite = new(StringComparer.Ordinal);
    private readonly Lock _drainLock = new();
    private readonly string _agentId = Guid.NewGuid().ToString("N")[..12];
    private Task _pump = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private volatile string? _runId;
    private volatile string? _stopReason;
    private volatile bool _closed;
    private volatile bool _rejected;
    private int _signalled;
    private long _lastMetricsSend;
    private long _lastCheckpoint;
    private long _pauseUntil;
    private string? _project;
    private int _heartbeats;

    private HubSession(HubSessionOptions options, HubSpool spool, string clientRunId)
    {
        _options = options;
        _time = options.TimeProvider;
        _logger = options.Logger ?? NullLogger.Instance;
        _spool = spool;
        ClientRunId = clientRunId;
        _runId = spool.Run is { } run && run.ClientRunId == clientRunId ? run.RunId : null;
        _project = spool.Run?.ClientRunId == clientRunId ? spool.Run.Project : null;
        _transport = new HubTransport(options.ServerUrl, options.ApiKey, _time, _logger, options.HttpHandler);
        if (spool.Run?.ClientRunId != clientRunId)
        {
            // Recorded at once, so a replay can create the run (with its arguments) even if this
            // session never reaches the server.
            _project = options.Project;
            spool.SetRun(new SpoolRun(clientRunId, _project, CreateRequestJson(), null));
        }
        _lastMetricsSend = _lastCheckpoint = _time.GetTimestamp();
        if (spool.PendingCount > 0)
        {
            // Left by an earlier session: send at once rather than after a first interval.
            _lastMetricsSend -= (long)(options.MetricsInterval.TotalSeconds * _time.TimestampFrequency);
        }
    }

    /// <summary>The client's run id (the server's idempotency key for this run); keep it to resume.</summary>
    public string ClientRunId { get; }

    /// <summary>The server's run id once the run exists there, else null.</summary>
    public string? RunId => _runId;

    /// <summary>The spool folder.</summary>
    public string SpoolDirectory => _spool.Directory;

    /// <summary>Items in the spool not yet acknowledged by the server (queued metrics not yet spooled excluded).</summary>
    public int PendingCount => _spool.PendingCount;

    /// <summary>Heartbeats the server acknowledged.</summary>
    public int HeartbeatCount => Volatile.Read(ref _heartbeats);

    /// <summary>Drops what is queued without spooling it (benchmarks of the enqueue path only).</summary>
    /// <returns>How many batches were dropped.</returns>
    internal int DiscardQueued()
    {
        int n = 0;
        while (_queue.TryDequeue(out _))
        {
            n++;
        }

        Volatile.Write(ref _signalled, 0);
        return n;
    }

    /// <summary>True once the background loops (sender and heartbeat) have ended.</summary>
    internal bool LoopsStopped => _pump.IsCompleted && _heartbeat.IsCompleted;

    /// <summary>True once the server asked the run to stop.</summary>
    public bool IsStopRequested => _stopReason is not null;

    /// <summary>Why the server asked the run to stop, or null.</summary>
    public string? StopReason => _stopReason;

    /// <summary>Raised (on a background thread) when the server asks the run to stop; the argument is the reason.</summary>
    public event EventHandler<string>? StopRequested;

    /// <summary>
    /// Opens the spool and starts the background loops; returns at once. The run is created on the
    /// server in the background (with retries); network trouble never makes this method fail.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>The running session.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="IOException">The spool folder cannot be created or read.</exception>
    /// <exception cref="InvalidDataException">The spool's journal is damaged.</exception>
    public static HubSession Start(HubSessionOptions options) => Start(options, startLoops: true);

    /// <summary>Starts a session; without loops (benchmarks) nothing is sent and the queue only grows.</summary>
    internal static HubSession Start(HubSessionOptions options, bool startLoops)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var spool = HubSpool.Open(options.SpoolDirectory, options.SpoolLimitBytes, options.Logger ?? NullLogger.Instance);
        try
        {
            string clientRunId = options.ClientRunId ?? spool.Run?.ClientRunId ?? Guid.CreateVersion7().ToString("N");
            var session = new HubSession(options, spool, clientRunId);
            if (spool.PendingCount > 0)
            {
                session._logger.LogInformation("hub: replaying {Count} item(s) left in {Spool} by an earlier session.", spool.PendingCount, spool.Directory);
            }

            if (startLoops)
            {
                session._pump = Task.Run(() => session.PumpAsync(session._stopPump.Token));
                session._heartbeat = Task.Run(() => session.HeartbeatLoopAsync(session._stopHeartbeat.Token));
            }

            return session;
        }
        catch
        {
            spool.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Queues one epoch's metrics (the metrics' step is the 0-based epoch). Costs a copy of the values
    /// and a lock-free enqueue; the background loop spools and sends them.
    /// </summary>
    /// <param name="epoch">The epoch, 0-based.</param>
    /// <param name="values">Metric name → value; non-finite values are skipped with one warning per name.</param>
    /// <returns>False when the session is finished or disposed.</returns>
    public bool EnqueueMetrics(int epoch, Dictionary<string, double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_closed)
        {
            return false;
        }

        var copy = new KeyValuePair<string, double>[values.Count];
        int i = 0;
        foreach (var pair in values)
        {
            copy[i++] = pair;
        }

        Enqueue(new QueuedMetrics(epoch, copy));
        return true;
    }

    /// <summary>Queues one epoch's metrics from any sequence of name/value pairs.</summary>
    /// <param name="epoch">The epoch, 0-based.</param>
    /// <param name="values">Metric name → value.</param>
    /// <returns>False when the session is finished or disposed.</returns>
    public bool EnqueueMetrics(int epoch, IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_closed)
        {
            return false;
        }

        Enqueue(new QueuedMetrics(epoch, [.. values]));
        return true;
    }

    /// <summary>
    /// Queues a <c>last</c> checkpoint if <see cref="HubSessionOptions.CheckpointInterval"/> has passed
    /// since the session started or the previous one. The file is copied into the spool now, so the
    /// upload carries exactly this epoch's file, whatever happens to the original later.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="epoch">Its epoch.</param>
    /// <returns>True when it was queued; false when the rate limit said not yet (or the session is closed).</returns>
    /// <exception cref="IOException">The file cannot be read or the spool written.</exception>
    public bool TryQueueCheckpoint(string path, int epoch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (_closed || _time.GetElapsedTime(Interlocked.Read(ref _lastCheckpoint)) < _options.CheckpointInterval)
        {
            return false;
        }

        Interlocked.Exchange(ref _lastCheckpoint, _time.GetTimestamp());
        if (_spool.AppendUpload(path, "last", Path.GetFileName(path), epoch) is null)
        {
            return false;
        }

        Signal();
        return true;
    }

    /// <summary>
    /// Writes everything queued to the spool now, on the calling thread (one small append per queued
    /// epoch, no network). Call it before writing a checkpoint that says an epoch is done, so a killed
    /// process never leaves a checkpoint whose epochs' metrics are only in memory.
    /// </summary>
    /// <exception cref="IOException">The spool cannot be written.</exception>
    public void Persist()
    {
        if (!_closed)
        {
            DrainQueue();
        }
    }

    /// <summary>Restarts the metrics and checkpoint rate limits from now (called when training proper starts).</summary>
    public void RestartTimers()
    {
        long now = _time.GetTimestamp();
        Interlocked.Exchange(ref _lastMetricsSend, now);
        Interlocked.Exchange(ref _lastCheckpoint, now);
    }

    /// <summary>
    /// Ends the session: stops the heartbeat, sends every pending metric (bounded by
    /// <see cref="HubSessionOptions.FlushTimeout"/>), uploads the best checkpoint with its metric
    /// (bounded by <see cref="HubSessionOptions.FinalUploadRetry"/>), then any older pending uploads
    /// with the time left, and sets the run's status. Whatever does not reach the server stays in the
    /// spool. Never throws for network trouble.
    /// </summary>
    /// <param name="finish">How the run ended and its best checkpoint.</param>
    /// <param name="progress">Receives the final upload's progress.</param>
    /// <param name="cancellationToken">Abandons the remaining work (it stays in the spool).</param>
    /// <returns>What was delivered.</returns>
    public async Task<HubFinishResult> FinishAsync(HubFinish finish, IProgress<HubUploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finish);
        if (_closed)
        {
            return new HubFinishResult(_spool.PendingCount == 0, _spool.PendingCount, _runId);
        }

        _closed = true;
        await StopLoopsAsync().ConfigureAwait(false);
        DrainQueue();
        SpoolEntry? best = null;
        if (finish.BestCheckpoint is { } bestPath && File.Exists(bestPath))
        {
            try
            {
                best = _spool.AppendUpload(bestPath, "final", Path.GetFileName(bestPath), finish.Epoch, finish.MetricName, finish.MetricValue);
            }
            catch (IOException ex)
            {
                _logger.LogWarning("hub: cannot read the best checkpoint {Path}: {Message}", bestPath, ex.Message);
            }
        }

        if (!_rejected)
        {
            try
            {
                await FinishOnlineAsync(finish, best, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("hub: finishing was cancelled.");
            }
        }

        int pending = _spool.PendingCount;
        if (pending > 0)
        {
            _logger.LogWarning(
                "hub: {Count} item(s) did not reach {Server}; they are kept in {Spool} and sent by the next session in this run directory or by 'stepwise hub sync {Run}'.",
                pending,
                _options.ServerUrl,
                _spool.Directory,
                Path.GetDirectoryName(_spool.Directory));
        }

        return new HubFinishResult(pending == 0, pending, _runId);
    }

    /// <summary>Stops the background loops without flushing; pending items stay in the spool.</summary>
    /// <returns>A task that completes when the loops have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        await StopLoopsAsync().ConfigureAwait(false);
        DrainQueue();
        _transport.Dispose();
        _spool.Dispose();
        _signal.Dispose();
        _stopPump.Dispose();
        _stopHeartbeat.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Enqueue(QueuedMetrics metrics)
    {
        // No wake-up here: waking a sleeping thread costs the training thread tens of microseconds on
        // a busy machine. The sender looks at the queue every QueuePollInterval instead.
        _queue.Enqueue(metrics);
    }

    private void Signal()
    {
        // Only the first item since the loop last looked pays for waking it.
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _signal.Release();
        }
    }

    private async Task StopLoopsAsync()
    {
        if (!_stopHeartbeat.IsCancellationRequested)
        {
            await _stopHeartbeat.CancelAsync().ConfigureAwait(false);
        }

        if (!_stopPump.IsCancellationRequested)
        {
            await _stopPump.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_pump, _heartbeat).ConfigureAwait(false);
    }

    private async Task FinishOnlineAsync(HubFinish finish, SpoolEntry? best, IProgress<HubUploadProgress>? progress, CancellationToken cancellationToken)
    {
        // Metrics first (the reference lost the last epochs here), then the best checkpoint, then the rest.
        var flushRetry = _options.RequestRetry with { TotalTimeout = Min(_options.RequestRetry.TotalTimeout, _options.FlushTimeout) };
        using (var flushTimeout = new CancellationTokenSource(_options.FlushTimeout, _time))
        using (var flushDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, flushTimeout.Token))
        {
            try
            {
                if (!await TryAsync(() => EnsureRunAsync(flushRetry, flushDeadline.Token), "create the run").ConfigureAwait(false))
                {
                    return;
                }

                await TryAsync(() => SendMetricsAsync(flushRetry, flushDeadline.Token), "send the last metrics").ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("hub: the last metrics did not get through within {Timeout}; they stay in the spool.", HubTransport.Describe(_options.FlushTimeout));
                if (_runId is null)
                {
                    return;
                }
            }
        }

        // One time budget for the best checkpoint and, with what is left of it, older pending uploads.
        var deadline = _time.GetTimestamp();
        if (best is not null)
        {
            await TryAsync(() => UploadAsync(best, _options.FinalUploadRetry, progress, cancellationToken), $"upload {best.Name}").ConfigureAwait(false);
        }

        foreach (var entry in _spool.Pending.Where(e => e.Kind == SpoolEntryKind.Upload && e != best))
        {
            var left = _options.FinalUploadRetry.TotalTimeout - _time.GetElapsedTime(deadline);
            if (left <= TimeSpan.Zero || _rejected)
            {
                break;
            }

            await TryAsync(() => UploadAsync(entry, _options.FinalUploadRetry with { TotalTimeout = left }, null, cancellationToken), $"upload {entry.Name}").ConfigureAwait(false);
        }

        if (finish.Status is null)
        {
            return;
        }

        var statusRetry = _options.RequestRetry with { TotalTimeout = Min(_options.RequestRetry.TotalTimeout, TimeSpan.FromSeconds(30)) };
        await TryAsync(
            async () =>
            {
                var body = JsonSerializer.Serialize(new UpdateRunRequest(finish.Status), HubJson.Options);
                await _transport.SendAsync(new HubRequest(HttpMethod.Patch, HubRoutes.Run(_runId!), () => Json(body)), statusRetry, cancellationToken).ConfigureAwait(false);
            },
            "set the run's status").ConfigureAwait(false);
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Volatile.Write(ref _signalled, 0);
            DrainQueue();
            TimeSpan wait = Timeout.InfiniteTimeSpan;
            try
            {
                wait = await WorkAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A bug or a disk problem must not end the loop silently: report and pause.
                _logger.LogWarning(ex, "hub: background sending failed: {Message}", ex.Message);
                Pause();
                wait = _options.RetryPause;
            }

            if (!_queue.IsEmpty || stop.IsCancellationRequested)
            {
                continue;
            }

            await WaitAsync(wait, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Does what is due; returns how long to sleep until something else falls due.</summary>
    private async Task<TimeSpan> WorkAsync(CancellationToken stop)
    {
        if (_rejected)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var paused = _time.GetElapsedTime(Interlocked.Read(ref _pauseUntil));
        if (Interlocked.Read(ref _pauseUntil) != 0 && paused < TimeSpan.Zero)
        {
            return -paused;
        }

        if (_runId is null)
        {
            if (!await TryAsync(() => EnsureRunAsync(_options.RequestRetry, stop), "create the run").ConfigureAwait(false))
            {
                return _rejected ? Timeout.InfiniteTimeSpan : Pause();
            }
        }

        var pending = _spool.Pending;
        var wait = Timeout.InfiniteTimeSpan;
        if (pending.Any(e => e.Kind == SpoolEntryKind.Metrics))
        {
            var sinceLast = _time.GetElapsedTime(Interlocked.Read(ref _lastMetricsSend));
            if (sinceLast >= _options.MetricsInterval)
            {
                Interlocked.Exchange(ref _lastMetricsSend, _time.GetTimestamp());
                if (!await TryAsync(() => SendMetricsAsync(_options.RequestRetry, stop), "send metrics").ConfigureAwait(false))
                {
                    return _rejected ? Timeout.InfiniteTimeSpan : Pause();
                }
            }
            else
            {
                wait = _options.MetricsInterval - sinceLast;
            }
        }

        var upload = _spool.Pending.FirstOrDefault(e => e.Kind == SpoolEntryKind.Upload);
        if (upload is not null)
        {
            if (!await TryAsync(() => UploadAsync(upload, _options.UploadRetry, null, stop), $"upload {upload.Name}").ConfigureAwait(false))
            {
                return _rejected ? Timeout.InfiniteTimeSpan : Pause();
            }

            return TimeSpan.Zero;
        }

        return wait;
    }

    private TimeSpan Pause()
    {
        var until = _time.GetTimestamp() + (long)(_options.RetryPause.TotalSeconds * _time.TimestampFrequency);
        Interlocked.Exchange(ref _pauseUntil, until);
        return _options.RetryPause;
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stop)
    {
        if (wait == TimeSpan.Zero)
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task signalled = _signal.WaitAsync(_options.QueuePollInterval, cts.Token);
        var tasks = wait == Timeout.InfiniteTimeSpan ? [signalled] : new[] { signalled, Task.Delay(wait, _time, cts.Token) };
        await Task.WhenAny(tasks).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The other wait was cancelled: expected.
        }
    }

    private void DrainQueue()
    {
        // One drainer at a time, so epochs reach the journal in the order they were queued.
        lock (_drainLock)
        {
            while (_queue.TryDequeue(out var metrics))
            {
                var values = Sanitize(metrics);
                if (values.Length > 0)
                {
                    _spool.AppendMetrics(metrics.Epoch, values);
                }
            }
        }
    }

    private KeyValuePair<string, double>[] Sanitize(QueuedMetrics metrics)
    {
        if (Array.TrueForAll(metrics.Values, v => double.IsFinite(v.Value) && !string.IsNullOrEmpty(v.Key)))
        {
            return metrics.Values;
        }

        foreach (var (name, value) in metrics.Values.Where(v => !double.IsFinite(v.Value)))
        {
            if (_warnedNonFinite.Add(name))
            {
                _logger.LogWarning("hub: metric '{Name}' is {Value} at epoch {Epoch}; non-finite values are not sent.", name, value, metrics.Epoch);
            }
        }

        return [.. metrics.Values.Where(v => double.IsFinite(v.Value) && !string.IsNullOrEmpty(v.Key))];
    }

    private async Task<bool> TryAsync(Func<Task> action, string what)
    {
        try
        {
            await action().ConfigureAwait(false);
            return true;
        }
        catch (HubRequestException ex) when (ex.IsAuthFailure)
        {
            _rejected = true;
            _logger.LogError(
                "hub: the server refused the API key ({Message}). Nothing more is sent in this session; metrics and checkpoints stay in {Spool}. Fix the key (stepwise hub login <url> <key>) and run 'stepwise hub sync'.",
                ex.Message,
                _spool.Directory);
            return false;
        }
        catch (HubRequestException ex)
        {
            _logger.LogWarning("hub: could not {What}: {Message}", what, ex.Message);
            return false;
        }
    }

    private async Task EnsureRunAsync(HubRetryOptions retry, CancellationToken cancellationToken)
    {
        if (_runId is not null)
        {
            return;
        }

        if (_project is null)
        {
            string? project = _options.Project;
            if (project is null)
            {
                var me = (await _transport.SendAsync(new HubRequest(HttpMethod.Get, HubRoutes.Me), retry, cancellationToken).ConfigureAwait(false))
                    .Read<WhoAmIResponse>(HubJson.Options, new HubRequest(HttpMethod.Get, HubRoutes.Me));
                project = me.Project ?? "default";
            }

            _project = project;
        }

        string body = _spool.Run is { } known && known.ClientRunId == ClientRunId ? known.CreateRequestJson : CreateRequestJson();
        _spool.SetRun(new SpoolRun(ClientRunId, _project, body, null));

        var request = new HubRequest(HttpMethod.Post, HubRoutes.Runs(_project), () => Json(body));
        var run = (await _transport.SendAsync(request, retry, cancellationToken).ConfigureAwait(false)).Read<RunDto>(HubJson.Options, request);
        _spool.SetRun(new SpoolRun(ClientRunId, _project, body, run.Id));
        _runId = run.Id;
        ApplyStop(run.StopRequested, run.StopReason);
        _logger.LogInformation("hub: run {Name} streaming to {Url} (project {Project}, run {RunId}).", run.Name, _options.ServerUrl, run.Project, run.Id);
    }

    private string CreateRequestJson()
    {
        var args = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in _options.Args)
        {
            args[key] = value switch
            {
                null => JsonSerializer.SerializeToElement<object?>(null),
                string or bool or int or long or double or float or decimal => JsonSerializer.SerializeToElement(value, value.GetType()),
                IFormattable f => JsonSerializer.SerializeToElement(f.ToString(null, CultureInfo.InvariantCulture)),
                _ => JsonSerializer.SerializeToElement(value.ToString()),
            };
        }

        var client = new ClientInfo(
            "stepwise",
            typeof(HubSession).Assembly.GetName().Version?.ToString(3),
            Environment.MachineName,
            RuntimeInformation.OSDescription,
            _agentId);
        return JsonSerializer.Serialize(
            new CreateRunRequest(_options.RunName, _options.Task, args, client, ClientRunId, _options.PrimaryMetric, _options.PrimaryMode),
            HubJson.Options);
    }

    private async Task SendMetricsAsync(HubRetryOptions retry, CancellationToken cancellationToken)
    {
        // Everything pending goes out, oldest first: failed batches are merged into the next send.
        var pending = _spool.Pending.Where(e => e.Kind == SpoolEntryKind.Metrics).ToList();
        int start = 0;
        while (start < pending.Count)
        {
            var chunk = new List<SpoolEntry>();
            int values = 0;
            while (start < pending.Count && (chunk.Count == 0 || values + pending[start].Values.Length <= MaxValuesPerRequest))
            {
                values += pending[start].Values.Length;
                chunk.Add(pending[start++]);
            }

            var points = chunk.Select(e => new MetricPoint(e.Epoch!.Value, e.Epoch, e.Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal))).ToList();
            string body = JsonSerializer.Serialize(new MetricsBatchRequest(points), HubJson.Options);
            var request = new HubRequest(HttpMethod.Post, HubRoutes.Metrics(_runId!), () => Json(body));
            HubResponse response;
            try
            {
                response = await _transport.SendAsync(request, retry, cancellationToken).ConfigureAwait(false);
            }
            catch (HubRequestException ex) when (!ex.IsTransient && !ex.IsAuthFailure)
            {
                // The server will never take these: keep the rest flowing.
                _spool.Drop(chunk, ex.Message);
                _logger.LogError("hub: the server refused the metrics of epoch(s) {Epochs}; they are dropped: {Message}", string.Join(", ", chunk.Select(e => e.Epoch)), ex.Message);
                continue;
            }

            _spool.Complete(chunk);
            var answer = response.Read<MetricsBatchResponse>(HubJson.Options, request);
            ApplyStop(answer.StopRequested, answer.StopReason);
        }
    }

    private async Task UploadAsync(SpoolEntry entry, HubRetryOptions retry, IProgress<HubUploadProgress>? progress, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(HubRoutes.Checkpoints(_runId!))
            .Append("?kind=").Append(entry.CheckpointKind)
            .Append("&name=").Append(Uri.EscapeDataString(entry.Name!))
            .Append("&sha256=").Append(entry.Sha256)
            .Append("&size=").Append(entry.Size.ToString(CultureInfo.InvariantCulture));
        if (entry.Epoch is { } epoch)
        {
            query.Append("&epoch=").Append(epoch.ToString(CultureInfo.InvariantCulture));
        }

        if (entry.MetricName is not null && entry.MetricValue is { } value && double.IsFinite(value))
        {
            query.Append("&metricName=").Append(Uri.EscapeDataString(entry.MetricName))
                 .Append("&metricValue=").Append(value.ToString("R", CultureInfo.InvariantCulture));
        }

        string path = _spool.PathOf(entry);
        var request = new HubRequest(HttpMethod.Post, query.ToString(), () => new SnapshotContent(path, entry.Size, progress));
        try
        {
            await _transport.SendAsync(request, retry, cancellationToken).ConfigureAwait(false);
        }
        catch (HubRequestException ex) when (!ex.IsTransient && !ex.IsAuthFailure)
        {
            _spool.Drop([entry], ex.Message);
            _logger.LogError("hub: the server refused the checkpoint {Name} (epoch {Epoch}); it is dropped: {Message}", entry.Name, entry.Epoch, ex.Message);
            return;
        }

        _spool.Complete([entry]);
    }

    private async Task HeartbeatLoopAsync(CancellationToken stop)
    {
        var retry = _options.RequestRetry with { TotalTimeout = Min(_options.RequestRetry.TotalTimeout, _options.HeartbeatInterval) };
        string body = JsonSerializer.Serialize(new HeartbeatRequest(_agentId, Environment.MachineName), HubJson.Options);
        try
        {
            while (true)
            {
                await Task.Delay(_options.HeartbeatInterval, _time, stop).ConfigureAwait(false);
                if (_runId is not { } runId || _rejected)
                {
                    continue;
                }

                try
                {
                    var request = new HubRequest(HttpMethod.Post, HubRoutes.Heartbeat(runId), () => Json(body));
                    var answer = (await _transport.SendAsync(request, retry, stop).ConfigureAwait(false)).Read<HeartbeatResponse>(HubJson.Options, request);
                    Interlocked.Increment(ref _heartbeats);
                    ApplyStop(answer.StopRequested, answer.StopReason);
                }
                catch (HubRequestException ex)
                {
                    _logger.LogWarning("hub: heartbeat failed: {Message}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Finished or disposed: the heartbeat stops for real.
        }
    }

    private void ApplyStop(bool requested, string? reason)
    {
        if (!requested || _stopReason is not null)
        {
            return;
        }

        _stopReason = string.IsNullOrWhiteSpace(reason) ? "stop requested on the Hub" : reason;
        _logger.LogWarning("hub: the server asked this run to stop: {Reason}", _stopReason);
        StopRequested?.Invoke(this, _stopReason);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record QueuedMetrics(int Epoch, KeyValuePair<string, double>[] Values);
}
