namespace Stepwise.Dvc;

/// <summary>An image name without a supported suffix or outside the images folder (<c>InvalidImageNameError</c>).</summary>
public sealed class InvalidImageNameException : DvcLiveException
{
    /// <summary>Creates the error with an empty message.</summary>
    public InvalidImageNameException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public InvalidImageNameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidImageNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
