namespace Stepwise.Callbacks;

/// <summary>
/// One named event of the closed catalog. Handlers of the event receive the engine object of
/// <see cref="EngineType"/>; the <see cref="WireName"/> is the reference's string name
/// (<c>on_fit_epoch_end</c>) for string-based registration.
/// </summary>
public abstract class CallbackEvent
{
    private protected CallbackEvent(string wireName, Type engineType, int index)
    {
        WireName = wireName;
        EngineType = engineType;
        Index = index;
    }

    /// <summary>The reference's name of the event, e.g. <c>on_train_epoch_end</c>.</summary>
    public string WireName { get; }

    /// <summary>The engine type every handler of this event receives.</summary>
    public Type EngineType { get; }

    /// <summary>Dense position of the event in <see cref="CallbackCatalog.All"/>.</summary>
    internal int Index { get; }

    /// <inheritdoc />
    public override string ToString() => WireName;
}
