namespace Stepwise.Dvc;

/// <summary>An unknown sklearn plot kind (<c>InvalidPlotTypeError</c>).</summary>
public sealed class InvalidPlotTypeException : DvcLiveException
{
    /// <summary>Creates the error with an empty message.</summary>
    public InvalidPlotTypeException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public InvalidPlotTypeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidPlotTypeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
