using System.Globalization;

namespace Stepwise.Settings;

/// <summary>The keys of the settings file, their types and defaults, and value parsing.</summary>
public static class SettingsSchema
{
    /// <summary>The settings format version this build writes.</summary>
    public const string CurrentVersion = "1.1";

    /// <summary>Every key, in file order.</summary>
    public static IReadOnlyList<SettingDefinition> Keys { get; } =
    [
        new("settings_version", SettingType.String, CurrentVersion, "Version of the settings format.", IsReadOnly: true),
        new("runs_dir", SettingType.Directory, "runs", "Where run directories are created (runs/<task>/<name>)."),
        new("datasets_dir", SettingType.Directory, "datasets", "Where datasets given by name are looked up."),
        new("weights_dir", SettingType.Directory, "weights", "Where weights given by name are looked up."),
        new("tensorboard", SettingType.Boolean, true, "Write TensorBoard event files into each run directory."),
        new("tensorboard_histograms", SettingType.Boolean, true, "Also log a histogram of every weight and bias each epoch to TensorBoard."),
        new("dvc", SettingType.Boolean, false, "Log runs with the DVCLive-compatible logger (writes dvclive/ and dvc.yaml in the working directory)."),
        new("hub", SettingType.Boolean, true, "Stream runs to the Stepwise Hub (needs hub_url and api_key)."),
        new("hub_url", SettingType.Url, "http://127.0.0.1:8484", "Address of the Stepwise Hub server."),
        new("api_key", SettingType.String, string.Empty, "API key for the Stepwise Hub.", IsSecret: true),
        new("sync", SettingType.Boolean, false, "Send anonymous usage events to the configured hub (opt-in)."),
        new("uuid", SettingType.String, string.Empty, "Random identity of this installation, created on first use.", IsReadOnly: true),
    ];

    /// <summary>Finds a key's definition.</summary>
    /// <param name="key">The key.</param>
    /// <param name="definition">The definition when the key exists.</param>
    /// <returns>True when the key exists.</returns>
    public static bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SettingDefinition? definition)
    {
        definition = Keys.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.Ordinal));
        return definition is not null;
    }

    /// <summary>Finds a key's definition or throws an error that lists the valid keys.</summary>
    /// <param name="key">The key.</param>
    /// <param name="path">The settings file, for the message, when the key came from it.</param>
    /// <returns>The definition.</returns>
    public static SettingDefinition Get(string key, string? path = null)
    {
        if (TryGet(key, out var definition))
        {
            return definition;
        }

        var where = path is null ? string.Empty : $" in {path}";
        throw new SettingsException(
            $"Unknown settings key '{key}'{where}. Valid keys: {string.Join(", ", Keys.Select(k => k.Key))}.",
            key,
            path);
    }

    /// <summary>Parses a value given as text (command line, environment) for a key.</summary>
    /// <param name="definition">The key.</param>
    /// <param name="text">The text.</param>
    /// <param name="origin">Where the text came from, for the message (e.g. <c>STEPWISE_DVC</c>).</param>
    /// <returns>A bool or a string.</returns>
    public static object Parse(SettingDefinition definition, string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        switch (definition.Type)
        {
            case SettingType.Boolean:
                switch (trimmed.ToLowerInvariant())
                {
                    case "true" or "1" or "yes" or "on":
                        return true;
                    case "false" or "0" or "no" or "off":
                        return false;
                    default:
                        throw new SettingsException(
                            $"Settings key '{definition.Key}' ({origin}) must be {definition.TypeDescription}, got '{text}'.",
                            definition.Key,
                            null);
                }

            case SettingType.Url:
                return ValidateUrl(definition, trimmed, origin);
            case SettingType.Directory when trimmed.Length == 0:
                throw new SettingsException($"Settings key '{definition.Key}' ({origin}) must be {definition.TypeDescription}, got an empty value.", definition.Key, null);
            default:
                return trimmed;
        }
    }

    /// <summary>Checks a URL value.</summary>
    /// <param name="definition">The key.</param>
    /// <param name="value">The URL text.</param>
    /// <param name="origin">Where it came from.</param>
    /// <returns>The URL without a trailing slash.</returns>
    internal static string ValidateUrl(SettingDefinition definition, string value, string origin)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new SettingsException(
                $"Settings key '{definition.Key}' ({origin}) must be {definition.TypeDescription}, got '{value}'.",
                definition.Key,
                null);
        }

        return value.TrimEnd('/');
    }

    /// <summary>Formats a value for display and for the command line.</summary>
    /// <param name="value">A bool or a string.</param>
    /// <returns>The text.</returns>
    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
