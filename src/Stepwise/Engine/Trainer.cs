using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;

namespace Stepwise.Engine;

/// <summary>Trains a model and raises the trainer events (see TrainerEvents).</summary>
public sealed class Trainer : EngineBase
{
    /// <summary>Creates the engine.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Trainer(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(callbacks, logger, timeProvider)
    {
    }
}
