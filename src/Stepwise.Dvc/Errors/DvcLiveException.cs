namespace Stepwise.Dvc;

/// <summary>Base class of the errors <see cref="Live"/> raises for invalid input (the reference's <c>DvcLiveError</c>).</summary>
public abstract class DvcLiveException : Exception
{
    /// <summary>Creates the error with an empty message.</summary>
    protected DvcLiveException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    protected DvcLiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    protected DvcLiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
