namespace Stepwise.Engine;

/// <summary>How a training run ended (or that it is still running); visible in <c>on_train_end</c> and <c>teardown</c>.</summary>
public enum RunStatus
{
    /// <summary>Still training.</summary>
    Running,

    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>Early stopping ended the run (no improvement for <c>patience</c> epochs).</summary>
    EarlyStopped,

    /// <summary>A callback, a remote stop or Ctrl+C asked the run to stop (see <see cref="EngineBase.StopReason"/>).</summary>
    StoppedByCallback,

    /// <summary>An exception ended the run (see <see cref="Trainer.Error"/>).</summary>
    Failed,
}
