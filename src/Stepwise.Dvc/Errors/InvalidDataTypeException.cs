namespace Stepwise.Dvc;

/// <summary>A value of a type the method does not support (<c>InvalidDataTypeError</c>).</summary>
public sealed class InvalidDataTypeException : DvcLiveException
{
    /// <summary>Creates the error with an empty message.</summary>
    public InvalidDataTypeException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public InvalidDataTypeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidDataTypeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
