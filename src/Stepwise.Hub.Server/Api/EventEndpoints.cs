using System.Text.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>Opt-in analytics events from clients.</summary>
internal static class EventEndpoints
{
    /// <summary>Most events per request.</summary>
    public const int MaxEvents = 100;

    /// <summary>Maps the routes.</summary>
    /// <param name="api">The <c>/api/v1</c> group.</param>
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/events", PostAsync).Accepts<EventsBatchRequest>("application/json").Produces<EventsBatchResponse>(StatusCodes.Status202Accepted);

    private static async Task<IResult> PostAsync(HttpContext context, HubServices services)
    {
        var principal = HubRequest.Principal(context);
        var body = await HubRequest.ReadJsonAsync<EventsBatchRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        if (body.Events is null)
        {
            throw HubApiException.Invalid("events", "is required");
        }

        if (body.Events.Count > MaxEvents)
        {
            throw HubApiException.Invalid("events", $"at most {MaxEvents} events per request");
        }

        var now = services.NowMs;
        var rows = new List<EventRow>(body.Events.Count);
        for (var i = 0; i < body.Events.Count; i++)
        {
            var e = body.Events[i] ?? throw HubApiException.Invalid($"events[{i}]", "must be an object");
            HubRequest.CheckText($"events[{i}].name", e.Name, 100, required: true);
            rows.Add(new EventRow
            {
                Id = HubRequest.NewId(services.Time),
                KeyId = principal.KeyId,
                Name = e.Name,
                OccurredAt = e.Timestamp?.ToUnixTimeMilliseconds(),
                ReceivedAt = now,
                Properties = e.Properties is null ? null : JsonSerializer.Serialize(e.Properties, HubJson.Options),
            });
        }

        if (rows.Count > 0)
        {
            await services.Store.InsertEventsAsync(rows, context.RequestAborted).ConfigureAwait(false);
        }

        return Results.Json(new EventsBatchResponse(rows.Count), HubJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}
