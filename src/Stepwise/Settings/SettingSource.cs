namespace Stepwise.Settings;

/// <summary>Where a resolved setting's value came from, highest precedence first.</summary>
public enum SettingSource
{
    /// <summary>A per-run argument (<c>stepwise train dvc=false</c>, or an options object).</summary>
    Argument,

    /// <summary>An environment variable <c>STEPWISE_&lt;KEY&gt;</c>.</summary>
    Environment,

    /// <summary>The settings file.</summary>
    File,

    /// <summary>The built-in default.</summary>
    Default,
}
