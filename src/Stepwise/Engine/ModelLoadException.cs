namespace Stepwise.Engine;

/// <summary>A model file is missing, broken or of an unsupported kind; the message names the file and the problem.</summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception with an empty message.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and in which file.</param>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What is wrong and in which file.</param>
    /// <param name="innerException">The failure that revealed the problem.</param>
    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The model file, when known.</summary>
    public string? Path { get; init; }
}
