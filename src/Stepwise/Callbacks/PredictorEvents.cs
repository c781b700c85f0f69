using Stepwise.Engine;

namespace Stepwise.Callbacks;

/// <summary>Events raised by the <see cref="Predictor"/>; handlers receive the Predictor.</summary>
public static class PredictorEvents
{
    /// <summary><c>on_predict_start</c>: before the first prediction batch.</summary>
    public static readonly CallbackEvent<Predictor> PredictStart = CallbackCatalog.Define<Predictor>("on_predict_start", 20);

    /// <summary><c>on_predict_batch_start</c>: before each prediction batch.</summary>
    public static readonly CallbackEvent<Predictor> PredictBatchStart = CallbackCatalog.Define<Predictor>("on_predict_batch_start", 21);

    /// <summary><c>on_predict_postprocess_end</c>: after a batch's results are built; handlers may replace them.</summary>
    public static readonly CallbackEvent<Predictor> PredictPostprocessEnd = CallbackCatalog.Define<Predictor>("on_predict_postprocess_end", 22);

    /// <summary><c>on_predict_batch_end</c>: after a batch's results are written, before they are yielded.</summary>
    public static readonly CallbackEvent<Predictor> PredictBatchEnd = CallbackCatalog.Define<Predictor>("on_predict_batch_end", 23);

    /// <summary><c>on_predict_end</c>: after the last batch, or when the caller stops enumerating early.</summary>
    public static readonly CallbackEvent<Predictor> PredictEnd = CallbackCatalog.Define<Predictor>("on_predict_end", 24);
}
