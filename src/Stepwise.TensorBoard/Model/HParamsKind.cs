namespace Stepwise.TensorBoard.Model;

/// <summary>Which of the three hparams summaries a value is.</summary>
public enum HParamsKind
{
    /// <summary>Content not recognised.</summary>
    Unknown = 0,

    /// <summary><c>_hparams_/experiment</c>: the names and types of hyperparameters and the metric tags.</summary>
    Experiment = 1,

    /// <summary><c>_hparams_/session_start_info</c>: this run's hyperparameter values.</summary>
    SessionStart = 2,

    /// <summary><c>_hparams_/session_end_info</c>: how the run ended.</summary>
    SessionEnd = 3,
}
