using System.Text.Json;
using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Api;

/// <summary>A run's params: read, merge.</summary>
internal static class ParamEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="api">The <c>/api/v1</c> group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/runs/{runId}/params", GetAsync).Produces<ParamsDto>();
        api.MapPut("/runs/{runId}/params", PutAsync).Accepts<ParamsDto>("application/json").Produces<ParamsDto>();
    }

    private static async Task<IResult> GetAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        return Results.Json(await ReadAsync(services, run.Id, context.RequestAborted).ConfigureAwait(false), HubJson.Options);
    }

    private static async Task<IResult> PutAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: true).ConfigureAwait(false);
        var body = await HubRequest.ReadJsonAsync<ParamsDto>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        if (body.Params is null)
        {
            throw HubApiException.Invalid("params", "is required");
        }

        var values = new List<(string, string)>();
        foreach (var (name, value) in body.Params)
        {
            if (name.Length == 0 || name.Length > 200 || name.Any(char.IsControl))
            {
                throw HubApiException.Invalid("params", "a param name is 1–200 characters without control characters");
            }

            values.Add((name, value.GetRawText()));
        }

        await services.Store.UpsertParamsAsync(run.Id, values, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(await ReadAsync(services, run.Id, context.RequestAborted).ConfigureAwait(false), HubJson.Options);
    }

    private static async Task<ParamsDto> ReadAsync(HubServices services, string runId, CancellationToken cancellationToken)
    {
        var rows = await services.Store.GetParamsAsync(runId, cancellationToken).ConfigureAwait(false);
        var result = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in rows)
        {
            using var document = JsonDocument.Parse(value);
            result[name] = document.RootElement.Clone();
        }

        return new ParamsDto(result);
    }
}
