namespace Stepwise.Engine;

/// <summary>A prediction source is missing, empty or does not fit the model; the message names it.</summary>
public sealed class PredictionSourceException : Exception
{
    /// <summary>Creates the exception with an empty message.</summary>
    public PredictionSourceException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public PredictionSourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The failure that revealed the problem.</param>
    public PredictionSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file or folder the problem is in, when there is one.</summary>
    public string? Path { get; init; }
}
