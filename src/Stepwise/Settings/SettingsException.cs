namespace Stepwise.Settings;

/// <summary>A settings file, key or value is wrong; the message names the file and the key.</summary>
public sealed class SettingsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SettingsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public SettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public SettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one key.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="key">The offending key.</param>
    /// <param name="path">The settings file, when the problem is in it.</param>
    public SettingsException(string message, string? key, string? path)
        : base(message)
    {
        Key = key;
        Path = path;
    }

    /// <summary>The offending key, when one is to blame.</summary>
    public string? Key { get; }

    /// <summary>The settings file, when the problem is in it.</summary>
    public string? Path { get; }
}
