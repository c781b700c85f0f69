using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;

namespace Stepwise.Engine;

/// <summary>Writes a trained model in another format and raises the exporter events (see ExporterEvents).</summary>
public sealed class Exporter : EngineBase
{
    /// <summary>Creates the engine.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Exporter(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(callbacks, logger, timeProvider)
    {
    }
}
