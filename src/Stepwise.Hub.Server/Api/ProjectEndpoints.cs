using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Api;

/// <summary><c>/api/v1/me</c> and <c>/api/v1/projects</c>.</summary>
internal static class ProjectEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="api">The <c>/api/v1</c> group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext context) =>
        {
            var p = HubRequest.Principal(context);
            return Results.Json(new WhoAmIResponse(p.KeyId, p.Name, p.Scope, p.Project), HubJson.Options);
        }).Produces<WhoAmIResponse>();

        api.MapGet("/projects", ListAsync).Produces<IReadOnlyList<ProjectDto>>();
        api.MapPost("/projects", CreateAsync).Accepts<CreateProjectRequest>("application/json").Produces<ProjectDto>(StatusCodes.Status201Created);
        api.MapGet("/projects/{project}", GetAsync).Produces<ProjectDto>();
    }

    private static async Task<IResult> ListAsync(HttpContext context, HubServices services)
    {
        var principal = HubRequest.Principal(context);
        var only = principal.Scope == KeyScope.Admin ? null : principal.Project;
        var rows = await services.Store.ListProjectsAsync(only, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(rows.Select(RunMapper.ToDto).ToList(), HubJson.Options);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, HubServices services)
    {
        HubRequest.RequireAdmin(context);
        var body = await HubRequest.ReadJsonAsync<CreateProjectRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        if (body.Name is null)
        {
            throw HubApiException.Invalid("name", "is required");
        }

        if (!HubRequest.IsProjectName(body.Name))
        {
            throw HubApiException.Invalid("name", "a project name is 1–64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }

        HubRequest.CheckText("description", body.Description, 2000, required: false);
        if (!await services.Store.CreateProjectAsync(body.Name, body.Description, services.NowMs, context.RequestAborted).ConfigureAwait(false))
        {
            throw HubApiException.Conflict("name", $"Project '{body.Name}' already exists.");
        }

        var row = await services.Store.GetProjectAsync(body.Name, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(RunMapper.ToDto(row!), HubJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(HttpContext context, HubServices services, string project)
    {
        HubRequest.RequireProject(context, project, write: false);
        var row = await services.Store.GetProjectAsync(project, context.RequestAborted).ConfigureAwait(false)
            ?? throw HubApiException.NotFound("project", $"No project '{project}'.");
        return Results.Json(RunMapper.ToDto(row), HubJson.Options);
    }
}
