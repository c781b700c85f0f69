using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Settings;

namespace Stepwise.Callbacks;

/// <summary>
/// Event name → ordered handlers. One registry may be shared by a model object and every engine it
/// creates, so integrations attached for training stay attached for later validation or export.
/// </summary>
/// <remarks>
/// Each event's handlers are kept in an immutable array that is replaced on every change, so
/// <see cref="Raise{TEngine}"/> reads one snapshot without locking or allocating, and handlers may
/// add or remove handlers while an event is being raised (the change applies to the next raise).
/// </remarks>
public sealed class CallbackRegistry
{
    /// <summary>Consecutive failures after which an integration handler is disabled.</summary>
    public const int DefaultIntegrationFailureLimit = 3;

    private readonly object _gate = new();
    private readonly Registration[][] _handlers;
    private readonly List<(CallbackEvent Event, Registration Registration)> _defaults = [];
    private readonly HashSet<string> _attachedIntegrations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IStatefulCallback> _stateful = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _pendingState = new(StringComparer.Ordinal);
    private long _sequence;
    private RankInfo _rank;
    private bool _primary;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="logger">Where integration failures are reported; nothing by default.</param>
    /// <param name="rank">This process's rank; read from <c>RANK</c>/<c>LOCAL_RANK</c> by default.</param>
    public CallbackRegistry(ILogger? logger = null, RankInfo? rank = null)
    {
        Logger = logger ?? NullLogger.Instance;
        Rank = rank ?? RankInfo.FromEnvironment();
        _handlers = new Registration[CallbackCatalog.All.Count][];
        for (var i = 0; i < _handlers.Length; i++)
        {
            _handlers[i] = [];
        }
    }

    /// <summary>Where integration failures are reported.</summary>
    public ILogger Logger { get; set; }

    /// <summary>This process's rank; integration handlers run only where it is primary.</summary>
    public RankInfo Rank
    {
        get => _rank;
        set
        {
            _rank = value;
            _primary = value.IsPrimary;
        }
    }

    /// <summary>Consecutive failures after which an integration handler is disabled.</summary>
    public int IntegrationFailureLimit { get; set; } = DefaultIntegrationFailureLimit;

    /// <summary>Adds a handler for a typed event.</summary>
    /// <typeparam name="TEngine">The engine the event passes to its handlers.</typeparam>
    /// <param name="callbackEvent">The event, e.g. <see cref="TrainerEvents.FitEpochEnd"/>.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="options">Kind, order and name; a user handler in registration order by default.</param>
    /// <returns>A token that removes exactly this handler.</returns>
    public CallbackToken Add<TEngine>(CallbackEvent<TEngine> callbackEvent, Action<TEngine> handler, CallbackOptions? options = null)
        where TEngine : class
    {
        ArgumentNullException.ThrowIfNull(callbackEvent);
        ArgumentNullException.ThrowIfNull(handler);
        return AddCore(callbackEvent, handler, options ?? DefaultOptions, isDefault: false);
    }

    /// <summary>
    /// Adds a handler by the event's wire name (<c>on_train_epoch_end</c>). An unknown name is
    /// rejected with an <see cref="UnknownCallbackEventException"/> listing the closest names.
    /// </summary>
    /// <param name="wireName">The event's wire name.</param>
    /// <param name="handler">The handler; it receives the engine that raised the event.</param>
    /// <param name="options">Kind, order and name.</param>
    /// <returns>A token that removes exactly this handler.</returns>
    public CallbackToken Add(string wireName, Action<object> handler, CallbackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var callbackEvent = CallbackCatalog.Get(wireName);
        return AddCore(callbackEvent, handler, options ?? DefaultOptions, isDefault: false);
    }

    /// <summary>Adds an isolated, rank-gated integration handler.</summary>
    /// <typeparam name="TEngine">The engine the event passes to its handlers.</typeparam>
    /// <param name="callbackEvent">The event.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="integrationName">The integration's name for warnings, e.g. <c>tensorboard</c>.</param>
    /// <returns>A token that removes exactly this handler.</returns>
    public CallbackToken AddIntegration<TEngine>(CallbackEvent<TEngine> callbackEvent, Action<TEngine> handler, string integrationName)
        where TEngine : class => Add(callbackEvent, handler, CallbackOptions.Integration(integrationName));

    /// <summary>
    /// Adds a handler that belongs to the registry's defaults: <see cref="Reset"/> restores the
    /// defaults and removes everything else.
    /// </summary>
    /// <typeparam name="TEngine">The engine the event passes to its handlers.</typeparam>
    /// <param name="callbackEvent">The event.</param>
    /// <param name="handler">The handler.</param>
    /// <param name="options">Kind, order and name.</param>
    /// <returns>A token that removes this handler until the next <see cref="Reset"/>.</returns>
    public CallbackToken AddDefault<TEngine>(CallbackEvent<TEngine> callbackEvent, Action<TEngine> handler, CallbackOptions? options = null)
        where TEngine : class
    {
        ArgumentNullException.ThrowIfNull(callbackEvent);
        ArgumentNullException.ThrowIfNull(handler);
        return AddCore(callbackEvent, handler, options ?? DefaultOptions, isDefault: true);
    }

    /// <summary>
    /// Attaches an integration once: a second attach of the same <see cref="ICallbackIntegration.Name"/>
    /// does nothing. Nothing is attached where <see cref="Rank"/> is not primary.
    /// </summary>
    /// <param name="integration">The integration.</param>
    /// <returns>True when it was attached by this call.</returns>
    public bool Attach(ICallbackIntegration integration)
    {
        ArgumentNullException.ThrowIfNull(integration);
        if (!Rank.IsPrimary)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_attachedIntegrations.Add(integration.Name))
            {
                return false;
            }
        }

        integration.Attach(this);
        return true;
    }

    /// <summary>
    /// Attaches every integration whose boolean setting is on, in the given order, once each, and
    /// only on the primary rank. Settings are passed in (resolved at run start), never cached here.
    /// </summary>
    /// <param name="integrations">The available integrations.</param>
    /// <param name="settings">The run's resolved settings.</param>
    /// <returns>The names attached by this call.</returns>
    public IReadOnlyList<string> AttachEnabled(IEnumerable<ICallbackIntegration> integrations, StepwiseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        ArgumentNullException.ThrowIfNull(settings);
        var attached = new List<string>();
        foreach (var integration in integrations)
        {
            if (settings.IsEnabled(integration.SettingKey) && Attach(integration))
            {
                attached.Add(integration.Name);
            }
        }

        return attached;
    }

    /// <summary>Names of the integrations attached so far.</summary>
    public IReadOnlyCollection<string> AttachedIntegrations
    {
        get
        {
            lock (_gate)
            {
                return [.. _attachedIntegrations];
            }
        }
    }

    /// <summary>Raises an event: runs its handlers in order with the engine as argument.</summary>
    /// <typeparam name="TEngine">The engine type.</typeparam>
    /// <param name="callbackEvent">The event.</param>
    /// <param name="engine">The engine raising it.</param>
    public void Raise<TEngine>(CallbackEvent<TEngine> callbackEvent, TEngine engine)
        where TEngine : class
    {
        ArgumentNullException.ThrowIfNull(callbackEvent);
        var snapshot = Volatile.Read(ref _handlers[callbackEvent.Index]);
        var i = 0;
        while (i < snapshot.Length)
        {
            // One protected region for the whole loop: entering it costs nothing, and the filter lets
            // a user handler's exception propagate untouched while an integration's is contained.
            try
            {
                for (; i < snapshot.Length; i++)
                {
                    var registration = snapshot[i];
                    if (registration.Kind == CallbackKind.User)
                    {
                        // Action<object> handlers are Action<TEngine> by delegate contravariance.
                        Unsafe.As<Action<TEngine>>(registration.Handler)(engine);
                    }
                    else if (!registration.Disabled && _primary)
                    {
                        Unsafe.As<Action<TEngine>>(registration.Handler)(engine);
                        if (registration.ConsecutiveFailures != 0)
                        {
                            registration.ConsecutiveFailures = 0;
                        }
                    }
                }
            }
            catch (Exception ex) when (snapshot[i].Kind == CallbackKind.Integration)
            {
                OnIntegrationFailure(snapshot[i], callbackEvent, ex);
                i++;
            }
        }
    }

    /// <summary>The number of handlers currently registered for an event (disabled ones included).</summary>
    /// <param name="callbackEvent">The event.</param>
    /// <returns>The count.</returns>
    public int Count(CallbackEvent callbackEvent)
    {
        ArgumentNullException.ThrowIfNull(callbackEvent);
        return Volatile.Read(ref _handlers[callbackEvent.Index]).Length;
    }

    /// <summary>Describes the handlers of an event in the order they run.</summary>
    /// <param name="callbackEvent">The event.</param>
    /// <returns>One entry per handler.</returns>
    public IReadOnlyList<CallbackInfo> Handlers(CallbackEvent callbackEvent)
    {
        ArgumentNullException.ThrowIfNull(callbackEvent);
        return [.. Volatile.Read(ref _handlers[callbackEvent.Index])
            .Select(r => new CallbackInfo(r.Name, r.Kind, r.Order, r.Disabled, r.IsDefault))];
    }

    /// <summary>Removes every handler of one event, defaults included (as the reference does).</summary>
    /// <param name="callbackEvent">The event.</param>
    public void Clear(CallbackEvent callbackEvent)
    {
        ArgumentNullException.ThrowIfNull(callbackEvent);
        lock (_gate)
        {
            Volatile.Write(ref _handlers[callbackEvent.Index], []);
        }
    }

    /// <summary>
    /// Back to the defaults: every event holds only its default handlers again, integrations are
    /// detached and stateful callbacks forgotten.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            var rebuilt = new List<Registration>[_handlers.Length];
            foreach (var (callbackEvent, registration) in _defaults)
            {
                registration.Disabled = false;
                registration.ConsecutiveFailures = 0;
                (rebuilt[callbackEvent.Index] ??= []).Add(registration);
            }

            for (var i = 0; i < _handlers.Length; i++)
            {
                Volatile.Write(ref _handlers[i], rebuilt[i] is null ? [] : Sort(rebuilt[i]));
            }

            _attachedIntegrations.Clear();
            _stateful.Clear();
            _pendingState.Clear();
        }
    }

    /// <summary>
    /// Registers a stateful callback. If a checkpoint's state was restored before it was registered,
    /// that state is handed to it now.
    /// </summary>
    /// <param name="callback">The callback.</param>
    /// <exception cref="ArgumentException">Another callback already uses the same key.</exception>
    public void AddStateful(IStatefulCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        JsonNode? pending;
        bool hasPending;
        lock (_gate)
        {
            if (!_stateful.TryAdd(callback.StateKey, callback))
            {
                throw new ArgumentException($"A stateful callback with key '{callback.StateKey}' is already registered.", nameof(callback));
            }

            hasPending = _pendingState.Remove(callback.StateKey, out pending);
        }

        if (hasPending)
        {
            callback.RestoreState(pending);
        }
    }

    /// <summary>Captures the state of every stateful callback, by key, for a checkpoint.</summary>
    /// <returns>Key → state; states restored but not yet claimed by a callback are kept too.</returns>
    public IReadOnlyDictionary<string, JsonNode?> SaveState()
    {
        KeyValuePair<string, IStatefulCallback>[] callbacks;
        var result = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        lock (_gate)
        {
            callbacks = [.. _stateful];
            foreach (var (key, value) in _pendingState)
            {
                result[key] = value?.DeepClone();
            }
        }

        foreach (var (key, callback) in callbacks)
        {
            result[key] = callback.SaveState();
        }

        return result;
    }

    /// <summary>
    /// Hands each stateful callback its state from a checkpoint. States whose callback is not
    /// registered yet wait for it (see <see cref="AddStateful"/>).
    /// </summary>
    /// <param name="state">Key → state, as <see cref="SaveState"/> produced it.</param>
    public void RestoreState(IReadOnlyDictionary<string, JsonNode?> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var toRestore = new List<(IStatefulCallback Callback, JsonNode? State)>();
        lock (_gate)
        {
            foreach (var (key, value) in state)
            {
                if (_stateful.TryGetValue(key, out var callback))
                {
                    toRestore.Add((callback, value));
                }
                else
                {
                    _pendingState[key] = value;
                }
            }
        }

        foreach (var (callback, value) in toRestore)
        {
            callback.RestoreState(value);
        }
    }

    internal bool RemoveRegistration(CallbackEvent callbackEvent, object registration)
    {
        lock (_gate)
        {
            var current = _handlers[callbackEvent.Index];
            var index = Array.IndexOf(current, registration);
            if (index >= 0)
            {
                Volatile.Write(ref _handlers[callbackEvent.Index], [.. current[..index], .. current[(index + 1)..]]);
            }

            // A removed default handler comes back at the next Reset: that is what the defaults are.
            return index >= 0;
        }
    }

    private static readonly CallbackOptions DefaultOptions = new();

    private CallbackToken AddCore(CallbackEvent callbackEvent, Delegate handler, CallbackOptions options, bool isDefault)
    {
        var name = options.Name ?? handler.Method.Name;
        lock (_gate)
        {
            var registration = new Registration(handler, options.Kind, options.Order, _sequence++, name, isDefault);
            var updated = new List<Registration>(_handlers[callbackEvent.Index]) { registration };
            Volatile.Write(ref _handlers[callbackEvent.Index], Sort(updated));
            if (isDefault)
            {
                _defaults.Add((callbackEvent, registration));
            }

            return new CallbackToken(this, callbackEvent, registration);
        }
    }

    private static Registration[] Sort(List<Registration> registrations)
    {
        registrations.Sort(static (a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Sequence.CompareTo(b.Sequence));
        return [.. registrations];
    }

    private void OnIntegrationFailure(Registration registration, CallbackEvent callbackEvent, Exception ex)
    {
        var failures = ++registration.ConsecutiveFailures;
        if (failures >= IntegrationFailureLimit)
        {
            registration.Disabled = true;
            Logger.LogWarning(
                ex,
                "{Integration}: {Event} handler failed {Failures} times in a row and is now disabled; training goes on without it.",
                registration.Name,
                callbackEvent.WireName,
                failures);
        }
        else
        {
            Logger.LogWarning(
                ex,
                "{Integration}: {Event} handler failed ({Message}); training goes on.",
                registration.Name,
                callbackEvent.WireName,
                ex.Message);
        }
    }

    private sealed class Registration(Delegate handler, CallbackKind kind, int order, long sequence, string name, bool isDefault)
    {
        public readonly Delegate Handler = handler;
        public readonly CallbackKind Kind = kind;
        public readonly int Order = order;
        public readonly long Sequence = sequence;
        public readonly string Name = name;
        public readonly bool IsDefault = isDefault;
        public int ConsecutiveFailures;
        public bool Disabled;
    }
}
