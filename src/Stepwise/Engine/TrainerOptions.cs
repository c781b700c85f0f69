using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Settings;
using Stepwise.Tasks;

namespace Stepwise.Engine;

/// <summary>Everything a <see cref="Trainer"/> takes besides its arguments.</summary>
public sealed class TrainerOptions
{
    /// <summary>The registry to raise events on; a new one when null.</summary>
    public CallbackRegistry? Callbacks { get; init; }

    /// <summary>Where the engine logs.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The clock (a fake one in tests).</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Logger integrations; those whose settings switch is on are attached when the trainer is created.</summary>
    public IReadOnlyList<ICallbackIntegration> Integrations { get; init; } = [];

    /// <summary>Resolved settings (integration switches, runs_dir); defaults when null.</summary>
    public StepwiseSettings? Settings { get; init; }

    /// <summary>Console output (args, model summary, progress, results); none when null.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>True when <see cref="Output"/> is a terminal: progress bars redraw in place.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>Ctrl+C: training stops after the current batch, saves <c>last</c> and ends the run.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>A dataset already in memory, used instead of loading <c>data</c>.</summary>
    public ClassificationData? Data { get; init; }
}
