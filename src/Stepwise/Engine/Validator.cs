using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;

namespace Stepwise.Engine;

/// <summary>Evaluates a model on a validation split and raises the validator events (see ValidatorEvents).</summary>
public sealed class Validator : EngineBase
{
    /// <summary>Creates the engine.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Validator(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(callbacks, logger, timeProvider)
    {
    }
}
