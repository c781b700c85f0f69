using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Auth;

/// <summary>Text form of <see cref="KeyScope"/> as stored in the database.</summary>
internal static class KeyScopes
{
    /// <summary>The stored text.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>read, write or admin.</returns>
    public static string ToText(KeyScope scope) => scope switch
    {
        KeyScope.Read => "read",
        KeyScope.Write => "write",
        _ => "admin",
    };

    /// <summary>Parses stored text.</summary>
    /// <param name="text">read, write or admin.</param>
    /// <returns>The scope.</returns>
    public static KeyScope Parse(string text) => text switch
    {
        "read" => KeyScope.Read,
        "write" => KeyScope.Write,
        "admin" => KeyScope.Admin,
        _ => throw new InvalidDataException($"Unknown key scope '{text}' in the database."),
    };
}
