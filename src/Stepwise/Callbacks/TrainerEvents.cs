using Stepwise.Engine;

namespace Stepwise.Callbacks;

/// <summary>Events raised by the <see cref="Trainer"/>; handlers receive the Trainer.</summary>
public static class TrainerEvents
{
    /// <summary><c>on_pretrain_routine_start</c>: when the trainer is set up, after integrations attach and before data and model are built.</summary>
    public static readonly CallbackEvent<Trainer> PretrainRoutineStart = CallbackCatalog.Define<Trainer>("on_pretrain_routine_start", 0);

    /// <summary><c>on_pretrain_routine_end</c>: at the end of set-up (model, data, optimizer, schedule, early stopping, resume done).</summary>
    public static readonly CallbackEvent<Trainer> PretrainRoutineEnd = CallbackCatalog.Define<Trainer>("on_pretrain_routine_end", 1);

    /// <summary><c>on_train_start</c>: before the first epoch.</summary>
    public static readonly CallbackEvent<Trainer> TrainStart = CallbackCatalog.Define<Trainer>("on_train_start", 2);

    /// <summary><c>on_train_epoch_start</c>: at the top of each epoch; the epoch is already set.</summary>
    public static readonly CallbackEvent<Trainer> TrainEpochStart = CallbackCatalog.Define<Trainer>("on_train_epoch_start", 3);

    /// <summary><c>on_train_batch_start</c>: before each batch's forward pass.</summary>
    public static readonly CallbackEvent<Trainer> TrainBatchStart = CallbackCatalog.Define<Trainer>("on_train_batch_start", 4);

    /// <summary><c>optimizer_step</c>: right after the optimizer updated the parameters.</summary>
    public static readonly CallbackEvent<Trainer> OptimizerStep = CallbackCatalog.Define<Trainer>("optimizer_step", 5);

    /// <summary><c>on_before_zero_grad</c>: before the gradients are cleared for the next batch.</summary>
    public static readonly CallbackEvent<Trainer> BeforeZeroGrad = CallbackCatalog.Define<Trainer>("on_before_zero_grad", 6);

    /// <summary><c>on_train_batch_end</c>: as the last thing of each batch.</summary>
    public static readonly CallbackEvent<Trainer> TrainBatchEnd = CallbackCatalog.Define<Trainer>("on_train_batch_end", 7);

    /// <summary><c>on_train_epoch_end</c>: after all batches of an epoch, learning rates computed, before validation.</summary>
    public static readonly CallbackEvent<Trainer> TrainEpochEnd = CallbackCatalog.Define<Trainer>("on_train_epoch_end", 8);

    /// <summary><c>on_fit_epoch_end</c>: after validation and checkpointing of an epoch; metrics and fitness are updated.</summary>
    public static readonly CallbackEvent<Trainer> FitEpochEnd = CallbackCatalog.Define<Trainer>("on_fit_epoch_end", 9);

    /// <summary><c>on_model_save</c>: right after checkpoints are written.</summary>
    public static readonly CallbackEvent<Trainer> ModelSave = CallbackCatalog.Define<Trainer>("on_model_save", 10);

    /// <summary><c>on_train_end</c>: after the final evaluation; always raised, also when the run stopped or failed.</summary>
    public static readonly CallbackEvent<Trainer> TrainEnd = CallbackCatalog.Define<Trainer>("on_train_end", 11);

    /// <summary><c>on_params_update</c>: after the learning rates of the parameter groups changed.</summary>
    public static readonly CallbackEvent<Trainer> ParamsUpdate = CallbackCatalog.Define<Trainer>("on_params_update", 12);

    /// <summary><c>teardown</c>: last event of a run; always raised.</summary>
    public static readonly CallbackEvent<Trainer> Teardown = CallbackCatalog.Define<Trainer>("teardown", 13);

    /// <summary><c>on_batch_end</c>: after backward and the optional optimizer step (legacy name of the reference).</summary>
    public static readonly CallbackEvent<Trainer> BatchEnd = CallbackCatalog.Define<Trainer>("on_batch_end", 14);

    /// <summary><c>on_final_eval_end</c>: after the final evaluation of the best weights (instead of a second on_fit_epoch_end).</summary>
    public static readonly CallbackEvent<Trainer> FinalEvalEnd = CallbackCatalog.Define<Trainer>("on_final_eval_end", 15);
}
