namespace Stepwise.Settings;

/// <summary>One key of the settings file: its type, default and meaning.</summary>
/// <param name="Key">The key, e.g. <c>tensorboard</c>.</param>
/// <param name="Type">The value type.</param>
/// <param name="Default">The default value (bool or string).</param>
/// <param name="Description">One line for help and listings.</param>
/// <param name="IsSecret">True when listings must mask the value.</param>
/// <param name="IsReadOnly">True when users cannot set it (identity and version keys).</param>
public sealed record SettingDefinition(
    string Key,
    SettingType Type,
    object Default,
    string Description,
    bool IsSecret = false,
    bool IsReadOnly = false)
{
    /// <summary>The environment variable that overrides the key: <c>STEPWISE_</c> + the key in upper case.</summary>
    public string EnvironmentVariable => "STEPWISE_" + Key.ToUpperInvariant();

    /// <summary>A readable name of the expected type for error messages.</summary>
    public string TypeDescription => Type switch
    {
        SettingType.Boolean => "a boolean (true or false)",
        SettingType.Directory => "a directory path (string)",
        SettingType.Url => "an absolute http(s) URL (string)",
        _ => "a string",
    };
}
