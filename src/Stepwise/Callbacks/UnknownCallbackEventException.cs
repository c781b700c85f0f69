namespace Stepwise.Callbacks;

/// <summary>Thrown when a handler is registered under a name that is not in the catalog.</summary>
public sealed class UnknownCallbackEventException : ArgumentException
{
    /// <summary>Creates the exception for a name and its suggestions.</summary>
    /// <param name="name">The name that was not found.</param>
    /// <param name="suggestions">Close catalog names.</param>
    public UnknownCallbackEventException(string name, IReadOnlyList<string> suggestions)
        : base(BuildMessage(name, suggestions), nameof(name))
    {
        Name = name;
        Suggestions = suggestions;
    }

    /// <summary>Creates the exception with a message.</summary>
    public UnknownCallbackEventException()
        : this(string.Empty, [])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public UnknownCallbackEventException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownCallbackEventException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = string.Empty;
        Suggestions = [];
    }

    /// <summary>The unknown name.</summary>
    public string Name { get; }

    /// <summary>The closest catalog names, best first.</summary>
    public IReadOnlyList<string> Suggestions { get; }

    private static string BuildMessage(string name, IReadOnlyList<string> suggestions) =>
        suggestions.Count == 0
            ? $"Unknown callback event '{name}'."
            : $"Unknown callback event '{name}'. Did you mean: {string.Join(", ", suggestions)}?";
}
