namespace Stepwise.Hub.Contracts;

/// <summary>An RFC 7807 problem body as the Hub writes it (<c>application/problem+json</c>).</summary>
/// <param name="Type">A URI naming the kind of problem.</param>
/// <param name="Title">Short summary of the kind of problem.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong in this request.</param>
/// <param name="Field">The first offending field (JSON path without <c>$.</c>, or a route/query name).</param>
/// <param name="Errors">Field to messages, when the problem concerns fields.</param>
/// <param name="TraceId">Correlates the answer with the server's logs.</param>
public sealed record HubProblemDetails(
    string Type,
    string Title,
    int Status,
    string? Detail = null,
    string? Field = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? TraceId = null);
