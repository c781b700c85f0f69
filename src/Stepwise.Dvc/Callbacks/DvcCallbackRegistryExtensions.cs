using Stepwise.Callbacks;

namespace Stepwise.Dvc;

/// <summary>Registration of the DVC logger on a callback registry.</summary>
public static class DvcCallbackRegistryExtensions
{
    /// <summary>Attaches the DVC logger (once per registry).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="options">Options of the callbacks.</param>
    /// <returns>True when attached now, false when it already was (or on a non-primary rank).</returns>
    public static bool AddDvc(this CallbackRegistry registry, DvcCallbackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Attach(new DvcIntegration(options));
    }
}
