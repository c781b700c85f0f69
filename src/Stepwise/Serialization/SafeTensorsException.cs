namespace Stepwise.Serialization;

/// <summary>A safetensors file is malformed; the message names the file and the problem.</summary>
public sealed class SafeTensorsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SafeTensorsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SafeTensorsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SafeTensorsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
