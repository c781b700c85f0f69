using Stepwise.Callbacks;
using Stepwise.Settings;

namespace Stepwise.Cli;

/// <summary>A callback registry with the run's enabled logger integrations attached, for engines other than the trainer.</summary>
internal static class CliRegistry
{
    /// <summary>Creates the registry.</summary>
    /// <param name="settings">The run's resolved settings.</param>
    /// <param name="integrations">The integrations offered; <see cref="CliIntegrations.Create"/> when null.</param>
    /// <returns>The registry.</returns>
    public static CallbackRegistry Create(StepwiseSettings settings, IReadOnlyList<ICallbackIntegration>? integrations = null)
    {
        var registry = new CallbackRegistry();
        foreach (var integration in integrations ?? CliIntegrations.Create(settings))
        {
            if (SettingsSchema.TryGet(integration.SettingKey, out _) && settings.IsEnabled(integration.SettingKey))
            {
                registry.Attach(integration);
            }
        }

        return registry;
    }
}
