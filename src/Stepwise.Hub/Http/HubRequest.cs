namespace Stepwise.Hub.Http;

/// <summary>One logical Hub request; its content is created anew for every attempt.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">Path (and query) relative to the server's address, e.g. <c>/api/v1/me</c>.</param>
/// <param name="Content">Creates the body for one attempt; null for none.</param>
internal sealed record HubRequest(HttpMethod Method, string PathAndQuery, Func<HttpContent>? Content = null)
{
    /// <summary><c>POST /api/v1/...</c>, for messages.</summary>
    public override string ToString() => $"{Method} {PathAndQuery.Split('?')[0]}";
}
