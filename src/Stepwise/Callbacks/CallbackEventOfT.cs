namespace Stepwise.Callbacks;

/// <summary>A catalog event whose handlers receive a <typeparamref name="TEngine"/>.</summary>
/// <typeparam name="TEngine">The engine type that raises the event.</typeparam>
public sealed class CallbackEvent<TEngine> : CallbackEvent
    where TEngine : class
{
    internal CallbackEvent(string wireName, int index)
        : base(wireName, typeof(TEngine), index)
    {
    }
}
