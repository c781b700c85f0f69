namespace Stepwise.Dvc;

/// <summary>An unknown report mode (<c>InvalidReportModeError</c>).</summary>
public sealed class InvalidReportModeException : DvcLiveException
{
    /// <summary>Creates the error with an empty message.</summary>
    public InvalidReportModeException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public InvalidReportModeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidReportModeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
