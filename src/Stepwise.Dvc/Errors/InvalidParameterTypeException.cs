namespace Stepwise.Dvc;

/// <summary>A parameter value YAML cannot represent (<c>InvalidParameterTypeError</c>); nothing is stored.</summary>
public sealed class InvalidParameterTypeException : DvcLiveException
{
    /// <summary>Creates the error with an empty message.</summary>
    public InvalidParameterTypeException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public InvalidParameterTypeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidParameterTypeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
