namespace Stepwise.TensorBoard.Writing;

/// <summary>How a run ended, as the hparams dashboard shows it (<c>session_end_info.status</c>).</summary>
public enum HParamsStatus
{
    /// <summary>Unknown.</summary>
    Unknown = 0,

    /// <summary>Finished normally.</summary>
    Success = 1,

    /// <summary>Failed.</summary>
    Failure = 2,

    /// <summary>Still running.</summary>
    Running = 3,
}
