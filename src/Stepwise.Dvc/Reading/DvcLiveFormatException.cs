namespace Stepwise.Dvc.Reading;

/// <summary>A DVCLive output file that cannot be read; the message names the file and, for TSVs, the line.</summary>
public sealed class DvcLiveFormatException : Exception
{
    /// <summary>Creates the error.</summary>
    public DvcLiveFormatException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public DvcLiveFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The parser's error.</param>
    public DvcLiveFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
