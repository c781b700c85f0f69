using Stepwise.Callbacks;
using Stepwise.Dvc;
using Stepwise.Hub.Callbacks;
using Stepwise.Settings;
using Stepwise.TensorBoard.Callbacks;

namespace Stepwise.Cli;

/// <summary>
/// The logger integrations the CLI offers to its engines. Each attaches only when its settings switch
/// (resolved for this run) is on, so listing one here costs nothing when it is off.
/// </summary>
internal static class CliIntegrations
{
    /// <summary>Creates the integrations for one run.</summary>
    /// <param name="settings">The run's resolved settings (hub address and key, directories, switches).</param>
    public static IReadOnlyList<ICallbackIntegration> Create(StepwiseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var integrations = new List<ICallbackIntegration>();
        // One line per integration package, e.g. integrations.Add(new DvcIntegration(settings));
        integrations.Add(new DvcIntegration());
        integrations.Add(new TensorBoardIntegration(new TensorBoardCallbackOptions { Console = Console.Out, WeightHistograms = settings.IsEnabled("tensorboard_histograms") }));
        integrations.Add(new HubIntegration(settings, Console.Out, !Console.IsOutputRedirected));
        return integrations;
    }
}
