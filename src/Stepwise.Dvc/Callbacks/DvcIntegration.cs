using Stepwise.Callbacks;

namespace Stepwise.Dvc;

/// <summary>The DVC logger as an integration, attached when the <c>dvc</c> setting is on.</summary>
public sealed class DvcIntegration : ICallbackIntegration
{
    private readonly DvcCallbackOptions? _options;

    /// <summary>Creates the integration.</summary>
    /// <param name="options">Options of the callbacks; defaults as the reference.</param>
    public DvcIntegration(DvcCallbackOptions? options = null)
    {
        _options = options;
    }

    /// <inheritdoc/>
    public string Name => "dvc";

    /// <inheritdoc/>
    public string SettingKey => "dvc";

    /// <inheritdoc/>
    public void Attach(CallbackRegistry registry) => new DvcCallbacks(_options).Attach(registry);
}
