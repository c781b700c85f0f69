using Stepwise.Callbacks;
using Stepwise.Settings;

namespace Stepwise.Hub.Callbacks;

/// <summary>
/// The Hub integration: engines attach it when the <c>hub</c> setting is on; it registers its
/// callbacks only when an API key is set (<c>api_key</c>, or <c>STEPWISE_API_KEY</c>), sending to
/// <c>hub_url</c>. Usage events additionally need <c>sync</c>, read again at every event.
/// </summary>
public sealed class HubIntegration : ICallbackIntegration
{
    private readonly HubCallbackOptions? _options;

    /// <summary>Creates the integration from a run's resolved settings.</summary>
    /// <param name="settings">Hub address, key, <c>sync</c>, installation id and the settings file.</param>
    /// <param name="console">Where the final upload's progress bar goes.</param>
    /// <param name="isTerminal">True when <paramref name="console"/> is a terminal.</param>
    public HubIntegration(StepwiseSettings settings, TextWriter? console = null, bool isTerminal = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            return;
        }

        string? file = settings.SourceOf("sync") is SettingSource.Argument or SettingSource.Environment ? null : settings.FilePath;
        bool initialSync = settings.Sync;
        _options = new HubCallbackOptions
        {
            ServerUrl = new Uri(settings.HubUrl),
            ApiKey = settings.ApiKey,
            InstallationId = settings.Uuid,
            Console = console,
            IsTerminal = isTerminal,

            // Read again at each event, so 'stepwise settings sync=false' during a run stops usage events at once.
            SyncEnabled = () => ReadSync(file, initialSync),
        };
    }

    /// <summary>Creates the integration with explicit options.</summary>
    /// <param name="options">The options.</param>
    public HubIntegration(HubCallbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => HubCallbacks.IntegrationName;

    /// <inheritdoc />
    public string SettingKey => "hub";

    /// <summary>The options the callbacks get (null without an API key).</summary>
    internal HubCallbackOptions? Options => _options;

    /// <summary>True when an API key is set, so attaching registers the callbacks.</summary>
    public bool IsConfigured => _options is not null;

    /// <inheritdoc />
    public void Attach(CallbackRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (_options is not null)
        {
            new HubCallbacks(_options).Register(registry);
        }
    }

    private static bool ReadSync(string? file, bool fallback)
    {
        if (file is null)
        {
            // Given for this run (argument or environment): it outranks the file anyway.
            return fallback;
        }

        try
        {
            return StepwiseSettings.Resolve(new SettingsStore(file)).Sync;
        }
        catch (SettingsException)
        {
            return fallback;
        }
    }
}
