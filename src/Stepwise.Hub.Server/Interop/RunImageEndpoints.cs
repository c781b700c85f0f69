using System.Globalization;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Api;

namespace Stepwise.Hub.Server.Interop;

/// <summary>
/// A run's images: list, download, upload. Images arrive from DVC Studio clients and from
/// <c>stepwise hub import</c>; the bytes are content-addressed blobs.
/// </summary>
internal static class RunImageEndpoints
{
    /// <summary>Largest image accepted by upload.</summary>
    public const long MaxImageBytes = 32L << 20;

    /// <summary>The list route of a run's images.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The path.</returns>
    public static string Images(string runId) => $"{HubRoutes.Run(runId)}/images";

    /// <summary>The content route of one image (<c>?name=&amp;step=</c>).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="name">The image name.</param>
    /// <param name="step">The step.</param>
    /// <returns>The path with query.</returns>
    public static string Content(string runId, string name, long step) =>
        $"{Images(runId)}/content?name={Uri.EscapeDataString(name)}&step={step.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Maps the routes.</summary>
    /// <param name="app">The application's routes.</param>
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(HubRoutes.Prefix).WithTags("images");
        api.MapGet("/runs/{runId}/images", ListAsync).Produces<IReadOnlyList<RunImageDto>>();
        api.MapGet("/runs/{runId}/images/content", DownloadAsync).Produces(StatusCodes.Status200OK, contentType: "image/png");
        api.MapPut("/runs/{runId}/images/content", UploadAsync).Accepts<Stream>("image/png", "image/jpeg", "image/gif", "application/octet-stream").Produces<RunImageDto>();
    }

    /// <summary>The content type of an image name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The media type.</returns>
    public static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private static async Task<IResult> ListAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        var rows = await new InteropStore(services.Store.Database).ListImagesAsync(run.Id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(rows.Select(ToDto).ToList(), HubJson.Options);
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        var (name, step) = NameAndStep(context);
        var rows = await new InteropStore(services.Store.Database).ListImagesAsync(run.Id, context.RequestAborted).ConfigureAwait(false);
        var row = rows.FirstOrDefault(r => r.Name == name && r.Step == step)
            ?? throw HubApiException.NotFound("name", $"Run '{run.Id}' has no image '{HubRequest.Shorten(name)}' at step {step}.");
        context.Response.Headers.ETag = $"\"{row.Sha256}\"";
        return Results.File(services.Blobs.PathOf(row.Sha256), ContentTypeOf(row.Name));
    }

    private static async Task<IResult> UploadAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: true).ConfigureAwait(false);
        var (name, step) = NameAndStep(context);
        var content = await HubRequest.ReadBodyAsync(context, MaxImageBytes).ConfigureAwait(false);
        if (content.Length == 0)
        {
            throw HubApiException.Invalid("body", "the image is empty");
        }

        var sha = await services.Blobs.PutAsync(content, context.RequestAborted).ConfigureAwait(false);
        var row = new RunImageRow { RunId = run.Id, Name = name, Step = step, Sha256 = sha, Size = content.Length, CreatedAt = services.NowMs };
        await new InteropStore(services.Store.Database).UpsertImageAsync(row, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(ToDto(row), HubJson.Options);
    }

    private static (string Name, long Step) NameAndStep(HttpContext context)
    {
        var name = context.Request.Query["name"].ToString();
        HubRequest.CheckText("name", name, 255, required: true);
        if (name.Contains('\\', StringComparison.Ordinal) || name.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw HubApiException.Invalid("name", "an image name is '/'-separated parts without empty, '.' or '..' parts");
        }

        var stepText = context.Request.Query["step"].ToString();
        long step = 0;
        if (stepText.Length > 0 && !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step))
        {
            throw HubApiException.Invalid("step", "must be a whole number 0 or more");
        }

        return (name, step);
    }

    private static RunImageDto ToDto(RunImageRow row) =>
        new(row.Name, row.Step, row.Size, row.Sha256, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt));
}
