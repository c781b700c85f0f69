using System.Net;
using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class EventEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task Events_from_any_valid_key_are_accepted_and_stored(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var (_, reader) = await hub.CreateKeyAsync(KeyScope.Read, TestHub.NewProject());
        var events = new EventsBatchRequest([
            new AnalyticsEvent("train_start", hub.Clock.GetUtcNow(), new Dictionary<string, JsonElement> { ["task"] = JsonSerializer.SerializeToElement("classify") }),
            new AnalyticsEvent("train_end"),
        ]);
        var answer = await (await hub.Client(reader).PostJsonAsync(HubRoutes.Events, events)).ReadAsync<EventsBatchResponse>(HttpStatusCode.Accepted);
        Assert.Equal(2, answer.Received);
        await (await hub.Client(null).PostJsonAsync(HubRoutes.Events, events)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task More_than_a_hundred_events_or_a_nameless_event_gets_400()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var many = new EventsBatchRequest([.. Enumerable.Range(0, 101).Select(i => new AnalyticsEvent("e" + i))]);
        await (await hub.Admin.PostJsonAsync(HubRoutes.Events, many)).ProblemAsync(HttpStatusCode.BadRequest, "events");
        await (await hub.Admin.PostRawJsonAsync(HubRoutes.Events, "{\"events\": [{\"name\": \"a\"}, {}]}")).ProblemAsync(HttpStatusCode.BadRequest, "events[1].name");
    }
}
