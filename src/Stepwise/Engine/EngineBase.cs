using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Callbacks;

namespace Stepwise.Engine;

/// <summary>
/// What every engine (trainer, validator, predictor, exporter) shares: the callback registry, the
/// run's save directory, logging, the clock, and a stop request that handlers may raise.
/// </summary>
public abstract class EngineBase
{
    /// <summary>Creates the shared engine state.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs; nothing when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    protected EngineBase(CallbackRegistry? callbacks, ILogger? logger, TimeProvider? timeProvider)
    {
        Logger = logger ?? NullLogger.Instance;
        Callbacks = callbacks ?? new CallbackRegistry(Logger);
        Time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The registry the engine raises its events on.</summary>
    public CallbackRegistry Callbacks { get; }

    /// <summary>The run directory the engine writes to (empty until known).</summary>
    public string SaveDir { get; protected set; } = string.Empty;

    /// <summary>Where the engine logs.</summary>
    public ILogger Logger { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>True after a handler (or Ctrl+C, or a remote stop) asked the engine to stop.</summary>
    public bool StopRequested => StopReason is not null;

    /// <summary>Why a stop was requested, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// Asks the engine to stop at its next safe point (the trainer finishes the current batch or
    /// epoch, saves and runs its end events). The first reason given is kept.
    /// </summary>
    /// <param name="reason">Why, for the log and the run's end status.</param>
    public void RequestStop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        StopReason ??= reason;
    }
}
