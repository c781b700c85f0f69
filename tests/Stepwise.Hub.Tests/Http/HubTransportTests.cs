using System.Net;
using System.Text;
using Stepwise.Hub.Http;
using Stepwise.Hub.Tests.Support;

namespace Stepwise.Hub.Tests.Http;

public sealed class HubTransportTests : IAsyncLifetime, IDisposable
{
    private static readonly HubRetryOptions Retry = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(30),
        MaxRetries = 3,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(60),
        TotalTimeout = TimeSpan.FromMinutes(10),
    };

    private readonly FakeTimeProvider _clock = new();
    private readonly ListLogger _log = new();
    private FaultServer _server = null!;
    private HubTransport _transport = null!;

    public async Task InitializeAsync()
    {
        _server = await FaultServer.StartAsync();
        _transport = new HubTransport(_server.Url, "swk_test_key", _clock, _log);
        _server.OnRequest = _clock.Mark;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _transport.Dispose();

    private static HubRequest Post(string path) => new(HttpMethod.Post, path, () => new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_503_is_retried_after_a_backoff_and_the_retry_succeeds()
    {
        _server.Then(FaultServer.Status(503), FaultServer.Json(200, "{\"ok\":true}"));
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry, CancellationToken.None);

        await _server.WaitForRequestsAsync(1);
        var backoff = await _clock.AdvanceToNewTimerAsync();
        var response = await send.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("{\"ok\":true}", response.Body);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].BodyText, _server.Requests[1].BodyText);
        Assert.InRange(backoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60));
        Assert.Contains(_log.Warnings, w => w.Contains("503", StringComparison.Ordinal) && w.Contains("retry 1/3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_waits_exactly_the_servers_Retry_After()
    {
        _server.Then(FaultServer.Json(429, "{\"title\":\"Too many requests\"}", ("Retry-After", "7")), FaultServer.Json(200, "{}"));
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry, CancellationToken.None);

        await _server.WaitForRequestsAsync(1);
        Assert.Equal(TimeSpan.FromSeconds(7), await _clock.AdvanceToNewTimerAsync());
        var response = await send.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_maximum_delay_is_capped()
    {
        _server.Then(FaultServer.Status(429, ("Retry-After", "3600")), FaultServer.Json(200, "{}"));
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry with { MaxDelay = TimeSpan.FromSeconds(20) }, CancellationToken.None);

        await _server.WaitForRequestsAsync(1);
        Assert.Equal(TimeSpan.FromSeconds(20), await _clock.AdvanceToNewTimerAsync());
        Assert.Equal(HttpStatusCode.OK, (await send.WaitAsync(TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public async Task A_hung_response_times_out_after_the_attempt_timeout_and_is_retried()
    {
        _server.Then(_server.Hang(), FaultServer.Json(200, "{}"));
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry, CancellationToken.None);

        await _server.WaitForRequestsAsync(1);
        await _clock.WaitForArmedAsync(2); // total deadline + attempt timeout
        Assert.Equal(TimeSpan.FromSeconds(30), _clock.NextDue);
        _clock.AdvanceToNext();
        await _clock.AdvanceToNewTimerAsync(); // the backoff
        var response = await send.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains(_log.Warnings, w => w.Contains("no answer in 30 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        _server.Then(FaultServer.Drop(), FaultServer.Json(200, "{}"));
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry, CancellationToken.None);

        await _server.WaitForRequestsAsync(1);
        await _clock.AdvanceToNewTimerAsync();

        Assert.Equal(HttpStatusCode.OK, (await send.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_400_fails_at_once_with_the_servers_problem_details()
    {
        _server.Then(FaultServer.Json(400, """{"title":"Invalid request","status":400,"detail":"points[0].values.loss: expected a number","field":"points[0].values.loss"}"""));

        var ex = await Assert.ThrowsAsync<HubRequestException>(() => _transport.SendAsync(Post("/api/v1/runs/r1/metrics"), Retry, CancellationToken.None));

        Assert.False(ex.IsTransient);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("points[0].values.loss", ex.Field);
        Assert.Contains("POST /api/v1/runs/r1/metrics", ex.Message, StringComparison.Ordinal);
        Assert.Contains("400", ex.Message, StringComparison.Ordinal);
        Assert.Contains("points[0].values.loss: expected a number", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
        Assert.Equal(0, _clock.ArmedCount);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(413)]
    public async Task Other_client_errors_are_not_retried(int status)
    {
        _server.Then(FaultServer.Json(status, "{\"title\":\"nope\"}"));

        var ex = await Assert.ThrowsAsync<HubRequestException>(() => _transport.SendAsync(Post("/api/v1/x"), Retry, CancellationToken.None));

        Assert.False(ex.IsTransient);
        Assert.Equal(status, (int)ex.StatusCode!);
        Assert.Equal(status is 401 or 403, ex.IsAuthFailure);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Timeouts_and_server_errors_are_retried(int status)
    {
        _server.Then(FaultServer.Status(status), FaultServer.Json(200, "{}"));
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry, CancellationToken.None);

        await _server.WaitForRequestsAsync(1);
        await _clock.AdvanceToNewTimerAsync();

        Assert.Equal(HttpStatusCode.OK, (await send.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task After_the_last_retry_the_request_gives_up_as_transient()
    {
        _server.Fallback = FaultServer.Status(503);
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry with { MaxRetries = 2 }, CancellationToken.None);

        for (int i = 1; i <= 2; i++)
        {
            await _server.WaitForRequestsAsync(i);
            await _clock.AdvanceToNewTimerAsync();
        }

        var ex = await Assert.ThrowsAsync<HubRequestException>(() => send);
        Assert.True(ex.IsTransient);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Contains("after 3 attempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_total_timeout_bounds_a_request_whatever_the_attempts()
    {
        _server.Fallback = _server.Hang();
        var send = _transport.SendAsync(
            Post("/api/v1/x"),
            Retry with { AttemptTimeout = TimeSpan.FromHours(1), TotalTimeout = TimeSpan.FromSeconds(45) },
            CancellationToken.None);

        await _server.WaitForRequestsAsync(1);
        await _clock.WaitForArmedAsync(2);
        Assert.Equal(TimeSpan.FromSeconds(45), _clock.NextDue);
        _clock.AdvanceToNext();

        var ex = await Assert.ThrowsAsync<HubRequestException>(() => send);
        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Contains("in time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_caller_stops_a_hung_request()
    {
        _server.Fallback = _server.Hang();
        using var cts = new CancellationTokenSource();
        var send = _transport.SendAsync(Post("/api/v1/x"), Retry, cts.Token);

        await _server.WaitForRequestsAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_failure()
    {
        var url = _server.Url;
        await _server.DisposeAsync();
        _server = await FaultServer.StartAsync();
        using var transport = new HubTransport(url, "k", _clock, _log);

        var send = transport.SendAsync(Post("/api/v1/x"), Retry with { MaxRetries = 0 }, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<HubRequestException>(() => send);
        Assert.True(ex.IsTransient);
        Assert.Contains("cannot reach", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_request_carries_the_api_key_and_a_stepwise_user_agent()
    {
        await _transport.SendAsync(new HubRequest(HttpMethod.Get, "/api/v1/me"), Retry, CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("swk_test_key", request.Headers["x-api-key"]);
        Assert.StartsWith("stepwise/", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal("GET", request.Method);
    }
}
