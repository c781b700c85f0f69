namespace Stepwise.Callbacks;

/// <summary>
/// Returned by every registration; removes exactly that handler (disposing does the same).
/// Removing twice, or after <see cref="CallbackRegistry.Clear"/>/<see cref="CallbackRegistry.Reset"/>
/// removed it already, does nothing.
/// </summary>
public sealed class CallbackToken : IDisposable
{
    private readonly CallbackRegistry _registry;
    private readonly object _registration;

    internal CallbackToken(CallbackRegistry registry, CallbackEvent callbackEvent, object registration)
    {
        _registry = registry;
        Event = callbackEvent;
        _registration = registration;
    }

    /// <summary>The event the handler was registered for.</summary>
    public CallbackEvent Event { get; }

    /// <summary>Removes the handler.</summary>
    /// <returns>True when this call removed it; false when it was already gone.</returns>
    public bool Remove() => _registry.RemoveRegistration(Event, _registration);

    /// <inheritdoc />
    public void Dispose() => Remove();
}
