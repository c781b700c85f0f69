namespace Stepwise.Serialization.Onnx;

/// <summary>An ONNX file is malformed or uses something the Stepwise evaluator does not run; the message names the file.</summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates the exception with an empty message.</summary>
    public OnnxFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and in which file.</param>
    public OnnxFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What is wrong and in which file.</param>
    /// <param name="innerException">The failure that revealed the problem.</param>
    public OnnxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
