using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Stepwise.Hub.Http;

/// <summary>
/// Sends Hub requests with an API key, a timeout per attempt, retries with exponential backoff and
/// jitter on transient failures (honouring <c>Retry-After</c>), and a total deadline. Every wait uses
/// the injected <see cref="TimeProvider"/>, so a fake clock drives retries in tests.
/// </summary>
internal sealed class HubTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _apiKey;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a transport.</summary>
    /// <param name="serverUrl">The server's address, e.g. <c>http://127.0.0.1:8484</c>.</param>
    /// <param name="apiKey">Sent as <c>x-api-key</c> on every request.</param>
    /// <param name="time">The clock for timeouts and backoff.</param>
    /// <param name="logger">Where retries are reported.</param>
    /// <param name="handler">The HTTP handler; a socket handler with a 10 s connect timeout by default.</param>
    public HubTransport(Uri serverUrl, string apiKey, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        _apiKey = apiKey;
        _time = time;
        _logger = logger;
        handler ??= new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.All,
        };

        // Deadlines come from the retry pipeline (on the injected clock), not from HttpClient's own timer.
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = serverUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("stepwise", typeof(HubTransport).Assembly.GetName().Version?.ToString(3) ?? "0"));
        ServerUrl = serverUrl;
    }

    /// <summary>The server's address.</summary>
    public Uri ServerUrl { get; }

    /// <summary>Sends a request until it succeeds, fails for good, or runs out of retries or time.</summary>
    /// <param name="request">The request.</param>
    /// <param name="retry">Timeouts and retries for this kind of request.</param>
    /// <param name="cancellationToken">Stops waiting (the session is closing).</param>
    /// <returns>The 2xx response, read completely.</returns>
    /// <exception cref="HubRequestException">Rejected (non-transient 4xx) or given up (transient).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<HubResponse> SendAsync(HubRequest request, HubRetryOptions retry, CancellationToken cancellationToken)
    {
        var pipeline = BuildPipeline(request, retry);
        HubResponse response;
        try
        {
            response = await pipeline.ExecuteAsync(
                static async (state, ct) => await state.Self.SendOnceAsync(state.Request, ct).ConfigureAwait(false),
                (Self: this, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && (ex is TimeoutRejectedException || IsTransportFailure(ex)))
        {
            // The caller gave up while a deadline or a connection failed at the same moment: it is a cancellation.
            throw new OperationCanceledException($"{request}: cancelled.", ex, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new HubRequestException($"{request}: no answer from {ServerUrl} in time ({Describe(ex.Timeout)}).", null, isTransient: true, innerException: ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw new HubRequestException($"{request}: cannot reach {ServerUrl}: {ex.Message}", null, isTransient: true, innerException: ex);
        }

        if (response.IsSuccess)
        {
            return response;
        }

        if (response.IsTransient)
        {
            throw new HubRequestException(
                $"{request}: the server still answered {(int)response.Status} {ReasonOf(response.Status)} after {retry.MaxRetries + 1} attempts.",
                response.Status,
                isTransient: true);
        }

        var (detail, field) = ProblemDetail(response);
        throw new HubRequestException($"{request}: the server rejected the request with {(int)response.Status} {ReasonOf(response.Status)}{detail}", response.Status, isTransient: false, field);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private ResiliencePipeline<HubResponse> BuildPipeline(HubRequest request, HubRetryOptions retry)
    {
        var builder = new ResiliencePipelineBuilder<HubResponse> { TimeProvider = _time }.AddTimeout(retry.TotalTimeout);
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HubResponse>
            {
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex ? IsTransportFailure(ex) || ex is TimeoutRejectedException : args.Outcome.Result!.IsTransient),
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } after ? (TimeSpan?)(after > retry.MaxDelay ? retry.MaxDelay : after) : null),
                OnRetry = args =>
                {
                    string why = args.Outcome.Exception is { } ex
                        ? (ex is TimeoutRejectedException ? $"no answer in {Describe(retry.AttemptTimeout)}" : ex.Message)
                        : $"{(int)args.Outcome.Result!.Status} {ReasonOf(args.Outcome.Result.Status)}";
                    _logger.LogWarning(
                        "hub: {Request}: {Why}; retry {Attempt}/{Max} in {Delay}.",
                        request.ToString(),
                        why,
                        args.AttemptNumber + 1,
                        retry.MaxRetries,
                        Describe(args.RetryDelay));
                    return default;
                },
            });
        }

        return builder.AddTimeout(retry.AttemptTimeout).Build();
    }

    private async Task<HubResponse> SendOnceAsync(HubRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.PathAndQuery);
        message.Headers.Add("x-api-key", _apiKey);
        message.Content = request.Content?.Invoke();
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new HubResponse(response.StatusCode, body, RetryAfterOf(response));
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static bool IsTransportFailure(Exception ex) => ex is HttpRequestException or IOException;

    private static (string Detail, string? Field) ProblemDetail(HubResponse response)
    {
        if (string.IsNullOrWhiteSpace(response.Body))
        {
            return (".", null);
        }

        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ($": {Truncate(response.Body)}", null);
            }

            string? title = Text(doc.RootElement, "title");
            string? detail = Text(doc.RootElement, "detail");
            string? field = Text(doc.RootElement, "field");
            var parts = new List<string>();
            if (title is not null)
            {
                parts.Add(title);
            }

            if (detail is not null && detail != title)
            {
                parts.Add(detail);
            }

            string text = parts.Count == 0 ? Truncate(response.Body) : string.Join(": ", parts);
            return ($": {text}{(field is null ? string.Empty : $" (field '{field}')")}", field);
        }
        catch (JsonException)
        {
            return ($": {Truncate(response.Body)}", null);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Truncate(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "Too Many Requests",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.RequestTimeout => "Request Timeout",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.Unauthorized => "Unauthorized",
        HttpStatusCode.Forbidden => "Forbidden",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.RequestEntityTooLarge => "Content Too Large",
        _ => status.ToString(),
    };

    internal static string Describe(TimeSpan span) => span.TotalSeconds < 1
        ? $"{span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
        : $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
