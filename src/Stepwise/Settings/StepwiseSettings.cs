namespace Stepwise.Settings;

/// <summary>
/// Settings resolved for one run: per-run argument, then environment (<c>STEPWISE_&lt;KEY&gt;</c>),
/// then the settings file, then the default. Resolve at run start; nothing is cached at load.
/// </summary>
public sealed class StepwiseSettings
{
    private readonly Dictionary<string, object> _values;
    private readonly Dictionary<string, SettingSource> _sources;

    private StepwiseSettings(Dictionary<string, object> values, Dictionary<string, SettingSource> sources, string? filePath)
    {
        _values = values;
        _sources = sources;
        FilePath = filePath;
    }

    /// <summary>The settings file the values were read from (null when resolved without one).</summary>
    public string? FilePath { get; }

    /// <summary>Where run directories are created.</summary>
    public string RunsDir => (string)_values["runs_dir"];

    /// <summary>Where datasets given by name are looked up.</summary>
    public string DatasetsDir => (string)_values["datasets_dir"];

    /// <summary>Where weights given by name are looked up.</summary>
    public string WeightsDir => (string)_values["weights_dir"];

    /// <summary>True when the TensorBoard integration is on.</summary>
    public bool TensorBoard => (bool)_values["tensorboard"];

    /// <summary>True when the DVC integration is on.</summary>
    public bool Dvc => (bool)_values["dvc"];

    /// <summary>True when the Hub integration is on (it also needs <see cref="ApiKey"/>).</summary>
    public bool Hub => (bool)_values["hub"];

    /// <summary>The Hub server's address.</summary>
    public string HubUrl => (string)_values["hub_url"];

    /// <summary>The Hub API key (empty when none).</summary>
    public string ApiKey => (string)_values["api_key"];

    /// <summary>True when usage events may be sent to the hub.</summary>
    public bool Sync => (bool)_values["sync"];

    /// <summary>This installation's random identity.</summary>
    public string Uuid => (string)_values["uuid"];

    /// <summary>The settings format version.</summary>
    public string SettingsVersion => (string)_values["settings_version"];

    /// <summary>Every resolved value by key (bool or string).</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>Where a key's value came from.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The source.</returns>
    public SettingSource SourceOf(string key) => _sources[SettingsSchema.Get(key).Key];

    /// <summary>Reads a boolean key, e.g. an integration switch.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="SettingsException">The key is unknown or not a boolean.</exception>
    public bool IsEnabled(string key)
    {
        var definition = SettingsSchema.Get(key);
        return definition.Type == SettingType.Boolean
            ? (bool)_values[key]
            : throw new SettingsException($"Settings key '{key}' is not a boolean switch.", key, null);
    }

    /// <summary>The settings with only the defaults (no file, environment or arguments).</summary>
    /// <returns>The defaults.</returns>
    public static StepwiseSettings Defaults() =>
        Resolve(store: null, arguments: null, getEnvironmentVariable: _ => null);

    /// <summary>Resolves every key by precedence: argument, environment, file, default.</summary>
    /// <param name="store">The settings file; the user's default file when null is not wanted, pass one.</param>
    /// <param name="arguments">Per-run overrides (key → text); keys that are not settings are ignored.</param>
    /// <param name="getEnvironmentVariable">Variable lookup; the process environment by default.</param>
    /// <returns>The resolved settings.</returns>
    /// <exception cref="SettingsException">A file, variable or argument holds a wrong value; the message names it.</exception>
    public static StepwiseSettings Resolve(
        SettingsStore? store,
        IReadOnlyDictionary<string, string>? arguments = null,
        Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var fileValues = store?.Load();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var sources = new Dictionary<string, SettingSource>(StringComparer.Ordinal);
        foreach (var definition in SettingsSchema.Keys)
        {
            if (arguments is not null && arguments.TryGetValue(definition.Key, out var argument) && !definition.IsReadOnly)
            {
                values[definition.Key] = SettingsSchema.Parse(definition, argument, "argument");
                sources[definition.Key] = SettingSource.Argument;
            }
            else if (!definition.IsReadOnly && getEnvironmentVariable(definition.EnvironmentVariable) is { } environmentValue)
            {
                values[definition.Key] = SettingsSchema.Parse(definition, environmentValue, definition.EnvironmentVariable);
                sources[definition.Key] = SettingSource.Environment;
            }
            else if (fileValues is not null && fileValues.TryGetValue(definition.Key, out var fileValue))
            {
                values[definition.Key] = fileValue;
                sources[definition.Key] = SettingSource.File;
            }
            else
            {
                values[definition.Key] = definition.Default;
                sources[definition.Key] = SettingSource.Default;
            }
        }

        return new StepwiseSettings(values, sources, store?.Path);
    }
}
