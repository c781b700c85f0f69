namespace Stepwise.Hub.Contracts;

/// <summary>HTTP header names of the Hub protocol.</summary>
public static class HubHeaders
{
    /// <summary>The API key header, as the reference service names it.</summary>
    public const string ApiKey = "x-api-key";

    /// <summary>Seconds to wait before retrying a rate-limited request.</summary>
    public const string RetryAfter = "Retry-After";
}
