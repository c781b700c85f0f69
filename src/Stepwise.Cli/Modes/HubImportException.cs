namespace Stepwise.Cli.Modes;

/// <summary>The Hub refused part of an import; the message says which step and why.</summary>
internal sealed class HubImportException : Exception
{
    public HubImportException()
    {
    }

    public HubImportException(string message)
        : base(message)
    {
    }

    public HubImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
