namespace Stepwise.Dvc;

/// <summary>A metric, plot or artifact name that cannot be a relative path inside the output folder.</summary>
public sealed class InvalidMetricNameException : DvcLiveException
{
    /// <summary>Creates the error with an empty message.</summary>
    public InvalidMetricNameException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public InvalidMetricNameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidMetricNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
