namespace Stepwise.Imaging;

/// <summary>
/// A byte sequence is not a PNG image Stepwise can read. The message names the source (a file path
/// when known) and the problem, with the byte offset where it applies.
/// </summary>
public sealed class PngFormatException : Exception
{
    /// <summary>Creates the exception with an empty message.</summary>
    public PngFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public PngFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The failure that revealed the problem.</param>
    public PngFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file path or label of the data that failed to decode, when the caller gave one.</summary>
    public string? SourceName { get; init; }
}
