using System.Security.Cryptography;
using System.Text;

namespace Stepwise.Hub.Server.Auth;

/// <summary>
/// API key text: <c>swk_&lt;12 hex id&gt;_&lt;43 base64url secret&gt;</c>. Only the SHA-256 of the whole
/// text is stored; the id finds the row and the hashes are compared in constant time.
/// </summary>
internal static class ApiKeySecret
{
    private const string Prefix = "swk_";
    private const int IdLength = 12;
    private const int SecretLength = 43;

    /// <summary>Makes a new key.</summary>
    /// <returns>The key id and the full key text.</returns>
    public static (string Id, string Key) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    /// <summary>The stored hash of a key text (lower-case hex SHA-256).</summary>
    /// <param name="key">The key text.</param>
    /// <returns>The hash.</returns>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Reads the id out of a key text.</summary>
    /// <param name="key">The text sent by a client.</param>
    /// <param name="id">The key id.</param>
    /// <returns>False when the text is not shaped like a key.</returns>
    public static bool TryParseId(string? key, out string id)
    {
        id = string.Empty;
        if (key is null || key.Length != Prefix.Length + IdLength + 1 + SecretLength || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var candidate = key.AsSpan(Prefix.Length, IdLength);
        foreach (var c in candidate)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        id = candidate.ToString();
        return true;
    }

    /// <summary>Compares a presented key with a stored hash in constant time.</summary>
    /// <param name="key">The presented key text.</param>
    /// <param name="storedHash">The stored hex hash.</param>
    /// <returns>True when they match.</returns>
    public static bool Matches(string key, string storedHash)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        byte[] stored;
        try
        {
            stored = Convert.FromHexString(storedHash);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }
}
