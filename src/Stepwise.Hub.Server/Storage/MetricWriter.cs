using System.Diagnostics;
using System.Threading.Channels;

namespace Stepwise.Hub.Server.Storage;

/// <summary>
/// Group commit for metric batches: requests queue their rows and wait; one writer drains whatever has
/// queued (up to a cap) and stores it in a single transaction, then completes every waiting request.
/// Under load many HTTP requests share one commit, which is what lets SQLite keep up.
/// </summary>
internal sealed partial class MetricWriter : BackgroundService
{
    private const int MaxRowsPerCommit = 20_000;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(3);

    private readonly HubStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<MetricWriter> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Creates the writer.</summary>
    /// <param name="store">The store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public MetricWriter(HubStore store, TimeProvider time, ILogger<MetricWriter> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Queues rows and waits until they are committed.</summary>
    /// <param name="runId">The run (its last-seen time moves).</param>
    /// <param name="rows">The values.</param>
    /// <param name="cancellationToken">Stops waiting for room in the queue.</param>
    /// <returns>Completes when the rows are stored; faults when the commit failed.</returns>
    public async Task WriteAsync(string runId, IReadOnlyList<MetricRow> rows, CancellationToken cancellationToken)
    {
        var pending = new Pending(runId, rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        await pending.Done.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Accept nothing new, then let the loop drain what is queued.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<Pending>();
        var rows = new List<MetricRow>();
        var runs = new HashSet<string>(StringComparer.Ordinal);
        var sink = _store.CreateMetricSink();
        await using var _ = sink.ConfigureAwait(false);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            group.Clear();
            rows.Clear();
            runs.Clear();
            var first = Stopwatch.GetTimestamp();
            while (true)
            {
                while (rows.Count < MaxRowsPerCommit && _queue.Reader.TryRead(out var pending))
                {
                    group.Add(pending);
                    rows.AddRange(pending.Rows);
                    runs.Add(pending.RunId);
                }

                // Under load, wait a moment for more requests so one commit (and one write of each
                // touched page) serves many of them; a lone request is written at once.
                var left = Linger - Stopwatch.GetElapsedTime(first);
                if (group.Count < 2 || rows.Count >= MaxRowsPerCommit || left <= TimeSpan.Zero)
                {
                    break;
                }

                var more = _queue.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                if (await Task.WhenAny(more, Task.Delay(left, CancellationToken.None)).ConfigureAwait(false) != more || !await more.ConfigureAwait(false))
                {
                    break;
                }
            }

            try
            {
                await sink.WriteAsync(rows, runs, _time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None).ConfigureAwait(false);
                foreach (var pending in group)
                {
                    pending.Done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                LogCommitFailed(_logger, ex, rows.Count, group.Count);
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Rows} metric values from {Requests} requests failed")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int rows, int requests);

    private sealed record Pending(string RunId, IReadOnlyList<MetricRow> Rows, TaskCompletionSource Done);
}
