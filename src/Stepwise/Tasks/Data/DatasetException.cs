namespace Stepwise.Tasks;

/// <summary>A dataset could not be loaded; the message names the file or folder and the problem.</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the exception with an empty message.</summary>
    public DatasetException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and where.</param>
    public DatasetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The failure that revealed the problem.</param>
    public DatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file or folder the problem is in, when there is one.</summary>
    public string? Path { get; init; }
}
