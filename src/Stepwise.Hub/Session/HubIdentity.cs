using Microsoft.Extensions.Logging.Abstractions;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Http;

namespace Stepwise.Hub.Session;

/// <summary>Checks an API key against a Hub server.</summary>
public static class HubIdentity
{
    /// <summary>Asks the server who the key belongs to (<c>GET /api/v1/me</c>).</summary>
    /// <param name="serverUrl">The server's address.</param>
    /// <param name="apiKey">The key.</param>
    /// <param name="retry">Timeouts and retries; 10 s per attempt, 1 retry, 20 s in all by default.</param>
    /// <param name="timeProvider">The clock; the system clock by default.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The key's name, scope and project.</returns>
    /// <exception cref="HubRequestException">The key was refused (401/403) or the server could not be reached.</exception>
    public static async Task<WhoAmIResponse> CheckKeyAsync(Uri serverUrl, string apiKey, HubRetryOptions? retry = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        retry ??= new HubRetryOptions { AttemptTimeout = TimeSpan.FromSeconds(10), MaxRetries = 1, TotalTimeout = TimeSpan.FromSeconds(20) };
        using var transport = new HubTransport(serverUrl, apiKey, timeProvider ?? TimeProvider.System, NullLogger.Instance);
        var request = new HubRequest(HttpMethod.Get, HubRoutes.Me);
        var response = await transport.SendAsync(request, retry, cancellationToken).ConfigureAwait(false);
        return response.Read<WhoAmIResponse>(HubJson.Options, request);
    }
}
