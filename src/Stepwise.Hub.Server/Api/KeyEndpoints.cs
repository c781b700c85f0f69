using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Auth;

namespace Stepwise.Hub.Server.Api;

/// <summary>API keys (admin only): list, create, revoke.</summary>
internal static class KeyEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="api">The <c>/api/v1</c> group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/keys", ListAsync).Produces<IReadOnlyList<ApiKeyDto>>();
        api.MapPost("/keys", CreateAsync).Accepts<CreateApiKeyRequest>("application/json").Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created);
        api.MapDelete("/keys/{keyId}", RevokeAsync).Produces(StatusCodes.Status204NoContent);
    }

    private static async Task<IResult> ListAsync(HttpContext context, HubServices services)
    {
        HubRequest.RequireAdmin(context);
        var keys = await HubKeys.ListAsync(services.Store, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(keys, HubJson.Options);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, HubServices services)
    {
        HubRequest.RequireAdmin(context);
        var body = await HubRequest.ReadJsonAsync<CreateApiKeyRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        var created = await HubKeys.CreateAsync(services.Store, services.Time, body.Name, body.Scope, body.Project, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(created, HubJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, HubServices services, string keyId)
    {
        HubRequest.RequireAdmin(context);
        if (!await services.Store.RevokeKeyAsync(keyId, services.NowMs, context.RequestAborted).ConfigureAwait(false))
        {
            throw HubApiException.NotFound("keyId", $"No key '{HubRequest.Shorten(keyId)}'.");
        }

        services.Keys.Forget(keyId);
        return Results.NoContent();
    }
}
