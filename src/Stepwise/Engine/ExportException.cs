namespace Stepwise.Engine;

/// <summary>An export failed (unsupported format, unusable weights, output not writable); the message names the file.</summary>
public sealed class ExportException : Exception
{
    /// <summary>Creates the exception with an empty message.</summary>
    public ExportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public ExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The failure that revealed the problem.</param>
    public ExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
