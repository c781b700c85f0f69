using System.Text.Json.Nodes;

namespace Stepwise.Callbacks;

/// <summary>
/// A callback whose small state travels inside checkpoints (early stopping, a logger's step, a hub
/// session id), so that a resumed run continues instead of restarting.
/// </summary>
public interface IStatefulCallback
{
    /// <summary>Unique key of the state inside the checkpoint, e.g. <c>dvc</c>.</summary>
    string StateKey { get; }

    /// <summary>Captures the state to store in the next checkpoint.</summary>
    /// <returns>A JSON value, or null for no state.</returns>
    JsonNode? SaveState();

    /// <summary>Restores the state read back from a checkpoint.</summary>
    /// <param name="state">What <see cref="SaveState"/> returned when the checkpoint was written.</param>
    void RestoreState(JsonNode? state);
}
