using Stepwise.Callbacks;

namespace Stepwise.TensorBoard.Callbacks;

/// <summary>Registers the TensorBoard callbacks on a registry.</summary>
public static class TensorBoardRegistryExtensions
{
    /// <summary>Attaches the TensorBoard integration (once per registry).</summary>
    /// <param name="registry">The registry, e.g. <c>trainer.Callbacks</c>.</param>
    /// <param name="options">What to log; defaults when null.</param>
    /// <returns>The registry, for chaining.</returns>
    public static CallbackRegistry AddTensorBoard(this CallbackRegistry registry, TensorBoardCallbackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Attach(new TensorBoardIntegration(options));
        return registry;
    }
}
