using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;

namespace Stepwise.Engine;

/// <summary>Runs a model on new inputs and raises the predictor events (see PredictorEvents).</summary>
public sealed class Predictor : EngineBase
{
    /// <summary>Creates the engine.</summary>
    /// <param name="callbacks">The registry to raise events on; a new one when null.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="timeProvider">The clock.</param>
    public Predictor(CallbackRegistry? callbacks = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : base(callbacks, logger, timeProvider)
    {
    }
}
