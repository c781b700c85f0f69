namespace Stepwise.Callbacks;

/// <summary>
/// A logger integration (DVC, TensorBoard, Hub) that attaches its handlers to a registry. Engines
/// attach the integrations whose setting is on; library users call the package's <c>AddX</c>
/// extension method instead.
/// </summary>
public interface ICallbackIntegration
{
    /// <summary>Name used in warnings and for de-duplication, e.g. <c>dvc</c>.</summary>
    string Name { get; }

    /// <summary>The boolean settings key that switches the integration on, e.g. <c>dvc</c>.</summary>
    string SettingKey { get; }

    /// <summary>Registers the integration's handlers (as <see cref="CallbackKind.Integration"/>).</summary>
    /// <param name="registry">The registry to attach to.</param>
    void Attach(CallbackRegistry registry);
}
