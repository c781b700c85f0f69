namespace Stepwise.Settings;

/// <summary>The value type of a settings key.</summary>
public enum SettingType
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>Any text.</summary>
    String,

    /// <summary>A directory path (relative paths are relative to the working directory).</summary>
    Directory,

    /// <summary>An absolute http or https URL.</summary>
    Url,
}
