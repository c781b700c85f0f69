using Stepwise.Engine;

namespace Stepwise.Callbacks;

/// <summary>Events raised by the <see cref="Validator"/>; handlers receive the Validator.</summary>
public static class ValidatorEvents
{
    /// <summary><c>on_val_start</c>: before the first validation batch.</summary>
    public static readonly CallbackEvent<Validator> ValStart = CallbackCatalog.Define<Validator>("on_val_start", 16);

    /// <summary><c>on_val_batch_start</c>: before each validation batch.</summary>
    public static readonly CallbackEvent<Validator> ValBatchStart = CallbackCatalog.Define<Validator>("on_val_batch_start", 17);

    /// <summary><c>on_val_batch_end</c>: after each validation batch's metrics are updated.</summary>
    public static readonly CallbackEvent<Validator> ValBatchEnd = CallbackCatalog.Define<Validator>("on_val_batch_end", 18);

    /// <summary><c>on_val_end</c>: after the metrics of the validation are final.</summary>
    public static readonly CallbackEvent<Validator> ValEnd = CallbackCatalog.Define<Validator>("on_val_end", 19);
}
