using System.Collections.Concurrent;
using System.Diagnostics;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>
/// Keeps each run's project and stop flag for a second so a stream of metric batches does not read
/// the run row every time. A stop requested through this instance clears the entry at once; one
/// requested through another instance reaches metric answers within <see cref="Lifetime"/> (heartbeats
/// always read the database).
/// </summary>
internal sealed class RunStateCache
{
    /// <summary>How long an entry is trusted.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private const int MaxEntries = 10_000;

    private readonly HubStore _store;
    private readonly ConcurrentDictionary<string, (RunState State, long Until)> _entries = new(StringComparer.Ordinal);

    /// <summary>Creates the cache.</summary>
    /// <param name="store">The store.</param>
    public RunStateCache(HubStore store) => _store = store;

    /// <summary>The run's state, or null when there is no such run.</summary>
    /// <param name="runId">The run id (already validated).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state.</returns>
    public async Task<RunState?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        if (_entries.TryGetValue(runId, out var entry) && entry.Until > now)
        {
            return entry.State;
        }

        var row = await _store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        var state = new RunState(row.Id, row.Project, row.StopRequested != 0, row.StopReason);
        _entries[runId] = (state, now + (long)(Lifetime.TotalSeconds * Stopwatch.Frequency));
        return state;
    }

    /// <summary>Drops a run's entry (after a change made through this instance).</summary>
    /// <param name="runId">The run id.</param>
    public void Forget(string runId) => _entries.TryRemove(runId, out _);
}
