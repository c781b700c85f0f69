using System.Diagnostics;
using System.Text.Json;
using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Api;

/// <summary>Writes RFC 7807 problem bodies.</summary>
internal static class Problems
{
    /// <summary>Base of every problem type URI.</summary>
    public const string TypeBase = "https://stepwise.dev/problems/";

    /// <summary>Writes a problem answer.</summary>
    /// <param name="context">The request.</param>
    /// <param name="status">HTTP status.</param>
    /// <param name="kind">Problem kind.</param>
    /// <param name="title">Summary.</param>
    /// <param name="detail">What went wrong.</param>
    /// <param name="field">The offending field.</param>
    /// <returns>A task.</returns>
    public static async Task WriteAsync(HttpContext context, int status, string kind, string title, string detail, string? field = null)
    {
        var problem = Create(context, status, kind, title, detail, field);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, HubJson.Options, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Builds a problem body.</summary>
    /// <param name="context">The request.</param>
    /// <param name="status">HTTP status.</param>
    /// <param name="kind">Problem kind.</param>
    /// <param name="title">Summary.</param>
    /// <param name="detail">What went wrong.</param>
    /// <param name="field">The offending field.</param>
    /// <returns>The body.</returns>
    public static HubProblemDetails Create(HttpContext context, int status, string kind, string title, string detail, string? field) =>
        new(
            TypeBase + kind,
            title,
            status,
            detail,
            field,
            field is null ? null : new Dictionary<string, string[]> { [field] = [detail] },
            Activity.Current?.Id ?? context.TraceIdentifier);
}
