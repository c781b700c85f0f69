namespace Stepwise.Dvc;

/// <summary>A dvcyaml path whose file name is not <c>dvc.yaml</c> (<c>InvalidDvcyamlError</c>).</summary>
public sealed class InvalidDvcYamlException : DvcLiveException
{
    /// <summary>Creates the error with an empty message.</summary>
    public InvalidDvcYamlException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and where.</param>
    public InvalidDvcYamlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidDvcYamlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
