namespace Stepwise.Hub.Tests.Support;

/// <summary>
/// A clock that moves only when a test advances it; timers (Task.Delay, timeouts) fire during
/// <see cref="Advance"/>. Tests wait for the client to arm a timer before they advance past it.
/// </summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private long _ticks;
    private long _timerIds;
    private long _mark;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _ticks;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Time elapsed since the clock was created.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(GetTimestamp());

    /// <summary>Timers that will fire (finite due time).</summary>
    public int ArmedCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <summary>Time until the earliest armed timer fires, or null.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_gate)
            {
                var due = _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value).DefaultIfEmpty(long.MaxValue).Min();
                return due == long.MaxValue ? null : TimeSpan.FromTicks(due - _ticks);
            }
        }
    }

    /// <summary>The due times (relative to now) of every armed timer, soonest first.</summary>
    public IReadOnlyList<TimeSpan> ArmedDueTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers.Where(t => t.Due is not null).Select(t => TimeSpan.FromTicks(t.Due!.Value - _ticks)).Order()];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        FakeTimer timer;
        lock (_gate)
        {
            timer = new FakeTimer(this, callback, state, ++_timerIds);
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate)
        {
            target = _ticks + delta.Ticks;
        }

        while (true)
        {
            FakeTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } d && d <= target).MinBy(t => t.Due!.Value);
                if (next is null)
                {
                    _now += TimeSpan.FromTicks(target - _ticks);
                    _ticks = target;
                    break;
                }

                long due = next.Due!.Value;
                _now += TimeSpan.FromTicks(due - _ticks);
                _ticks = due;
                next.Due = next.Period is { } p ? due + Math.Max(p, 1) : null;
                SignalLocked();
            }

            next.Fire();
        }
    }

    /// <summary>Advances to the earliest armed timer and fires it.</summary>
    public TimeSpan AdvanceToNext()
    {
        var due = NextDue ?? throw new InvalidOperationException("No timer is armed.");
        Advance(due);
        return due;
    }

    /// <summary>Advances to the earliest armed timer if there is one.</summary>
    public bool TryAdvanceToNext()
    {
        var due = NextDue;
        if (due is null)
        {
            return false;
        }

        Advance(due.Value);
        return true;
    }

    /// <summary>Waits (real time, bounded) until a condition on the timers holds.</summary>
    public async Task WaitUntilAsync(Func<FakeTimeProvider, bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(50), cts.Token);
            }
            catch (TimeoutException)
            {
                // Re-check: a condition may also depend on things outside the clock.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for: {what} (armed timers: {string.Join(", ", ArmedDueTimes)}).");
            }
        }
    }

    /// <summary>Remembers the timers that exist now; <see cref="AdvanceToNewTimerAsync"/> waits for a later one.</summary>
    public void Mark()
    {
        lock (_gate)
        {
            _mark = _timerIds;
        }
    }

    /// <summary>
    /// Waits until a timer created after the last <see cref="Mark"/> is armed (e.g. a retry's backoff),
    /// then advances to it. Returns how far the clock moved.
    /// </summary>
    public async Task<TimeSpan> AdvanceToNewTimerAsync()
    {
        TimeSpan due = default;
        await WaitUntilAsync(
            c =>
            {
                lock (c._gate)
                {
                    var timer = c._timers.Where(t => t.Id > c._mark && t.Due is not null).MinBy(t => t.Due!.Value);
                    if (timer is null)
                    {
                        return false;
                    }

                    due = TimeSpan.FromTicks(timer.Due!.Value - c._ticks);
                    return true;
                }
            },
            "a new armed timer");
        Advance(due);
        return due;
    }

    /// <summary>Waits until exactly <paramref name="count"/> timers are armed.</summary>
    public Task WaitForArmedAsync(int count) => WaitUntilAsync(c => c.ArmedCount == count, $"{count} armed timer(s)");

    private void SignalLocked()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state, long id) : ITimer
    {
        public long Id { get; } = id;

        public long? Due { get; set; }

        public long? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._ticks + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
                owner.SignalLocked();
            }

            if (Due is { } d && d <= owner.GetTimestamp())
            {
                // Due now: fire at once, as a real timer would.
                ThreadPool.QueueUserWorkItem(_ => owner.Advance(TimeSpan.Zero));
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                owner.SignalLocked();
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
