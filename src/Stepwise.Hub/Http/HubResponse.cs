using System.Net;
using System.Text.Json;

namespace Stepwise.Hub.Http;

/// <summary>A response read completely within its attempt's timeout.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body text (JSON for the API).</param>
/// <param name="RetryAfter">The server's <c>Retry-After</c>, if it sent one.</param>
internal sealed record HubResponse(HttpStatusCode Status, string Body, TimeSpan? RetryAfter)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>True for the statuses worth retrying: 408, 429 and 5xx.</summary>
    public bool IsTransient => Status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)Status >= 500;

    /// <summary>Reads the JSON body.</summary>
    /// <typeparam name="T">The contract type.</typeparam>
    /// <param name="options">Serializer options.</param>
    /// <param name="request">The request, for the error message.</param>
    /// <returns>The value.</returns>
    /// <exception cref="HubRequestException">The body is not the expected JSON.</exception>
    public T Read<T>(JsonSerializerOptions options, HubRequest request)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Body, options)
                ?? throw new HubRequestException($"{request}: the server answered {(int)Status} with an empty body where {typeof(T).Name} was expected.", Status, isTransient: false);
        }
        catch (JsonException ex)
        {
            throw new HubRequestException($"{request}: the server answered {(int)Status} with a body that is not a valid {typeof(T).Name}: {ex.Message}", Status, isTransient: false, innerException: ex);
        }
    }
}
