using System.Text.Json.Nodes;

namespace Stepwise.Engine;

/// <summary>
/// Stops training when fitness has not improved for <see cref="Patience"/> epochs. Its state is
/// saved in checkpoints so a resumed run keeps counting instead of starting over.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Creates a stopper; a patience of 0 or less disables stopping.</summary>
    public EarlyStopping(int patience) => Patience = patience <= 0 ? int.MaxValue : patience;

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>Best fitness so far.</summary>
    public double BestFitness { get; private set; }

    /// <summary>0-based epoch of the best fitness.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>True when the next epoch without improvement stops training.</summary>
    public bool PossibleStop { get; private set; }

    /// <summary>Records an epoch's fitness; returns true when training should stop.</summary>
    public bool Update(int epoch, double? fitness)
    {
        if (fitness is null)
        {
            return false;
        }

        if (fitness.Value >= BestFitness)
        {
            BestEpoch = epoch;
            BestFitness = fitness.Value;
        }

        long delta = epoch - BestEpoch;
        PossibleStop = delta >= (long)Patience - 1;
        return delta >= Patience;
    }

    /// <summary>State for checkpoints.</summary>
    public JsonObject Save() => new() { ["best_fitness"] = BestFitness, ["best_epoch"] = BestEpoch, ["patience"] = Patience == int.MaxValue ? 0 : Patience };

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Restore(JsonNode? state)
    {
        if (state is JsonObject o)
        {
            BestFitness = o["best_fitness"]?.GetValue<double>() ?? 0;
            BestEpoch = o["best_epoch"]?.GetValue<int>() ?? 0;
        }
    }
}
