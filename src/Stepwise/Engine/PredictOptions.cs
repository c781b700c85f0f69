namespace Stepwise.Engine;

/// <summary>How the <see cref="Predictor"/> runs and what it writes.</summary>
public sealed class PredictOptions
{
    /// <summary>Inputs per batch (at least 1). Default 1.</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Write each image with its top classes drawn on it to the run directory. Default false.</summary>
    public bool Save { get; init; }

    /// <summary>Write one text file per input (<c>labels/&lt;name&gt;.txt</c>, top-5 as <c>0.93 circle</c> lines). Default false.</summary>
    public bool SaveTxt { get; init; }

    /// <summary>Parent of the run directory; default <c>runs/classify</c>.</summary>
    public string? Project { get; init; }

    /// <summary>Run directory name; <c>predict</c>, then <c>predict2</c>, <c>predict3</c> … Default <c>predict</c>.</summary>
    public string Name { get; init; } = "predict";

    /// <summary>Reuse an existing run directory instead of numbering a new one.</summary>
    public bool ExistOk { get; init; }

    /// <summary>Print one line per input and the summary. Default true.</summary>
    public bool Verbose { get; init; } = true;

    /// <summary>Compute threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Console output, or null for none.</summary>
    public TextWriter? Output { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1, nameof(Batch));
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, nameof(Name));
    }
}
