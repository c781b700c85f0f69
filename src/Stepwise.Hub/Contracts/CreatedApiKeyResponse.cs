namespace Stepwise.Hub.Contracts;

/// <summary>A new key and its secret, shown this once.</summary>
/// <param name="Key">The key's description.</param>
/// <param name="Secret">The secret to send as <c>x-api-key</c>.</param>
public sealed record CreatedApiKeyResponse(ApiKeyDto Key, string Secret);
