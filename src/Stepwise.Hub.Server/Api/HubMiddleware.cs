using System.Diagnostics;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Auth;

namespace Stepwise.Hub.Server.Api;

/// <summary>
/// The server's own middleware: structured request logs, problem answers for errors, and API-key
/// authentication of everything under <c>/api/</c>.
/// </summary>
internal sealed partial class HubMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<HubMiddleware> _logger;
    private readonly KeyAuthenticator _keys;

    /// <summary>Creates the middleware.</summary>
    /// <param name="next">The rest of the pipeline.</param>
    /// <param name="logger">The request log.</param>
    /// <param name="keys">The key authenticator.</param>
    public HubMiddleware(RequestDelegate next, ILogger<HubMiddleware> logger, KeyAuthenticator keys)
    {
        _next = next;
        _logger = logger;
        _keys = keys;
    }

    /// <summary>Reads the key from <c>x-api-key</c>, or <c>Authorization: token|Bearer &lt;key&gt;</c>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The key text, or null.</returns>
    public static string? KeyOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HubHeaders.ApiKey, out var key) && key.Count > 0 && !string.IsNullOrEmpty(key[0]))
        {
            return key[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        foreach (var scheme in (string[])["token ", "Bearer "])
        {
            if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return authorization[scheme.Length..].Trim();
            }
        }

        return null;
    }

    /// <summary>Handles one request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>A task.</returns>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
            {
                var key = KeyOf(context.Request);
                var principal = key is null ? null : await _keys.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false);
                if (principal is null)
                {
                    context.Response.Headers.WWWAuthenticate = "ApiKey header=\"x-api-key\"";
                    await Problems.WriteAsync(
                        context,
                        StatusCodes.Status401Unauthorized,
                        "unauthorized",
                        "Unauthorized",
                        key is null ? $"Send an API key in the {HubHeaders.ApiKey} header." : "The API key is unknown, malformed or revoked.",
                        HubHeaders.ApiKey).ConfigureAwait(false);
                    return;
                }

                context.Items[HubRequest.PrincipalItem] = principal;
            }

            await _next(context).ConfigureAwait(false);
            if (context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed or StatusCodes.Status415UnsupportedMediaType
                && !context.Response.HasStarted && context.Response.ContentLength is null)
            {
                // Answers decided by routing (unknown route, wrong method, wrong content type) get a problem body too.
                var (kind, title, field) = context.Response.StatusCode switch
                {
                    StatusCodes.Status404NotFound => ("not-found", "Not found", (string?)null),
                    StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "Method not allowed", null),
                    _ => ("unsupported-media-type", "Unsupported media type", "Content-Type"),
                };
                var detail = context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType
                    ? $"This route does not accept '{context.Request.ContentType}'."
                    : $"{context.Request.Method} {context.Request.Path} answered {context.Response.StatusCode}.";
                await Problems.WriteAsync(context, context.Response.StatusCode, kind, title, detail, field).ConfigureAwait(false);
            }
        }
        catch (HubApiException ex)
        {
            await WriteProblemAsync(context, ex.Status, ex.Kind, ex.Title, ex.Message, ex.Field).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            var tooLarge = ex.StatusCode == StatusCodes.Status413PayloadTooLarge;
            await WriteProblemAsync(context, ex.StatusCode, tooLarge ? "too-large" : "bad-request", tooLarge ? "Request too large" : "Bad request", ex.Message, "body").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex)
        {
            LogUnhandled(_logger, ex, context.Request.Method, context.Request.Path.Value ?? string.Empty);
            await WriteProblemAsync(context, StatusCodes.Status500InternalServerError, "internal", "Internal error", "The server failed to handle the request; see its log.", null).ConfigureAwait(false);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var keyId = (context.Items[HubRequest.PrincipalItem] as HubPrincipal)?.KeyId ?? "-";
            LogRequest(_logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Response.StatusCode, elapsed, keyId);
        }
    }

    private static async Task WriteProblemAsync(HttpContext context, int status, string kind, string title, string detail, string? field)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        await Problems.WriteAsync(context, status, kind, title, detail, field).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {ElapsedMs:0.0} ms (key {KeyId})")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs, string keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
