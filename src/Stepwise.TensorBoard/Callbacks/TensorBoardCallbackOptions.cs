namespace Stepwise.TensorBoard.Callbacks;

/// <summary>What the TensorBoard callbacks log beyond the reference's scalars and graph.</summary>
public sealed record TensorBoardCallbackOptions
{
    /// <summary>Where the start hint (<c>tensorboard --logdir …</c>) is printed besides the trainer's logger; null for the logger only.</summary>
    public TextWriter? Console { get; init; }

    /// <summary>Log the model graph at train start (default on).</summary>
    public bool Graph { get; init; } = true;

    /// <summary>Log a histogram of every weight and bias tensor at each epoch end (default on).</summary>
    public bool WeightHistograms { get; init; } = true;

    /// <summary>Log the validator's sample images (prediction and label mosaics, confusion matrices) when written (default on).</summary>
    public bool ValidationImages { get; init; } = true;

    /// <summary>Log the run's arguments as hparams with the final metrics at train end (default on).</summary>
    public bool HParams { get; init; } = true;

    /// <summary>Periodic flush of the event file; the callbacks also flush after every epoch and at train end.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(120);
}
