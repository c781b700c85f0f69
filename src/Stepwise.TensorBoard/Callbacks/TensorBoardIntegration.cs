using Stepwise.Callbacks;

namespace Stepwise.TensorBoard.Callbacks;

/// <summary>
/// The TensorBoard integration: engines attach it when the <c>tensorboard</c> setting is on (the
/// default). Each attach creates fresh <see cref="TensorBoardCallbacks"/>.
/// </summary>
/// <param name="options">What to log; defaults when null.</param>
public sealed class TensorBoardIntegration(TensorBoardCallbackOptions? options = null) : ICallbackIntegration
{
    /// <inheritdoc />
    public string Name => TensorBoardCallbacks.IntegrationName;

    /// <inheritdoc />
    public string SettingKey => "tensorboard";

    /// <inheritdoc />
    public void Attach(CallbackRegistry registry) => new TensorBoardCallbacks(options).Register(registry);
}
