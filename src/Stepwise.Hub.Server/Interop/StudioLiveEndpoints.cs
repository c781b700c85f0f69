using System.Text.Json;
using System.Text.Json.Nodes;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Api;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Interop;

/// <summary>
/// The DVC Studio live-metrics endpoint, <c>POST /api/live</c>, so DVCLive (through its Studio client)
/// streams into the Hub: <c>start</c> creates the run (keyed by repository URL, baseline commit and
/// experiment name, so a re-sent <c>start</c> finds the same run), <c>data</c> stores params, the
/// metrics summary and the TSV plot rows as metric values and images as blobs, <c>done</c> finishes the run.
/// Auth is the Hub API key sent as <c>Authorization: token &lt;key&gt;</c>.
/// </summary>
internal static class StudioLiveEndpoints
{
    /// <summary>The path Studio clients post to (<c>DVC_STUDIO_URL</c> + <c>api/live</c>).</summary>
    public const string Route = "/api/live";

    /// <summary>Largest body accepted: the reference client caps a plots request at about 29 MB.</summary>
    public const long MaxBodyBytes = 32L << 20;

    /// <summary>Project for admin keys when the repository URL gives no usable name.</summary>
    public const string DefaultProject = "dvc-studio";

    private const string MetricsFolder = "plots/metrics/";
    private const string ImagesFolder = "plots/images/";

    /// <summary>Maps the route.</summary>
    /// <param name="app">The application's routes.</param>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost(Route, PostAsync).Accepts<JsonElement>("application/json").Produces<StudioLiveResponse>().WithTags("interop");

    private static async Task<IResult> PostAsync(HttpContext context, HubServices services)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw HubApiException.UnsupportedMediaType("Send the Studio event as application/json.");
        }

        var bytes = await HubRequest.ReadBodyAsync(context, Math.Max(MaxBodyBytes, services.Options.MaxJsonBodyBytes)).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw HubApiException.Invalid("body", $"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}");
        }

        using (document)
        {
            var root = document.RootElement;
            var kind = StudioEventSchema.Validate(root);
            var repoUrl = root.GetProperty("repo_url").GetString()!;
            var baseline = root.GetProperty("baseline_sha").GetString()!.ToLowerInvariant();
            var name = root.TryGetProperty("name", out var n) ? n.GetString()! : string.Empty;
            HubRequest.CheckText("name", name, 200, required: false);
            HubRequest.CheckText("repo_url", repoUrl, 2000, required: false);
            var project = InteropRuns.ProjectFor(context, InteropRuns.RepositoryName(repoUrl), DefaultProject);

            // Everything in the body is checked before anything is stored.
            var data = Prepare(root);
            var (run, created) = await FindOrCreateRunAsync(services, root, project, repoUrl, baseline, name, context.RequestAborted).ConfigureAwait(false);
            var now = services.NowMs;
            switch (kind)
            {
                case "start":
                    if (!created)
                    {
                        // The same experiment started again (resume): it is live again.
                        await services.Store.SetRunStatusAsync(run.Id, "running", null, now, context.RequestAborted).ConfigureAwait(false);
                    }

                    break;
                case "data":
                    await StoreAsync(services, run.Id, data, context.RequestAborted).ConfigureAwait(false);
                    break;
                default:
                    if (root.TryGetProperty("experiment_rev", out var rev))
                    {
                        var args = run.Args is null ? [] : JsonNode.Parse(run.Args)!.AsObject();
                        args["experiment_rev"] = rev.GetString()!.ToLowerInvariant();
                        await new InteropStore(services.Store.Database).SetArgsAsync(run.Id, args.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
                    }

                    if (!data.IsEmpty)
                    {
                        await StoreAsync(services, run.Id, data, context.RequestAborted).ConfigureAwait(false);
                    }

                    await services.Store.SetRunStatusAsync(run.Id, "finished", now, now, context.RequestAborted).ConfigureAwait(false);
                    break;
            }

            return Results.Json(new StudioLiveResponse(run.Id, project, created), HubJson.Options);
        }
    }

    private static async Task<(RunRow Run, bool Created)> FindOrCreateRunAsync(
        HubServices services, JsonElement root, string project, string repoUrl, string baseline, string name, CancellationToken cancellationToken)
    {
        var args = new JsonObject { ["repo_url"] = repoUrl, ["baseline_sha"] = baseline };
        foreach (var optional in (string[])["message", "subdir"])
        {
            if (root.TryGetProperty(optional, out var value))
            {
                args[optional] = value.GetString();
            }
        }

        var client = root.TryGetProperty("client", out var c) ? c.GetString() : null;
        HubRequest.CheckText("client", client, 100, required: false);
        var now = services.NowMs;
        var row = new RunRow
        {
            Id = HubRequest.NewId(services.Time),
            Project = project,
            Name = name.Trim().Length == 0 ? "dvclive" : name.Trim(),
            Status = "running",
            CreatedAt = now,
            LastSeenAt = now,
            Args = args.ToJsonString(),
            Client = JsonSerializer.Serialize(new ClientInfo(client ?? "dvc-studio-client"), HubJson.Options),
            ClientRunId = InteropRuns.StableKey("dvc", repoUrl, baseline, name),
        };
        return await services.Store.CreateRunAsync(row, cancellationToken).ConfigureAwait(false);
    }

    private static StudioData Prepare(JsonElement root)
    {
        var step = root.TryGetProperty("step", out var s) ? s.GetInt64() : 0;
        if (step < 0)
        {
            throw HubApiException.Invalid("step", "must be 0 or more");
        }

        var data = new StudioData(step);
        if (root.TryGetProperty("params", out var files))
        {
            foreach (var file in files.EnumerateObject())
            {
                foreach (var property in file.Value.EnumerateObject())
                {
                    if (property.Name.Length is 0 or > 200 || property.Name.Any(char.IsControl))
                    {
                        throw HubApiException.Invalid($"params.{file.Name}", "a param name is 1–200 characters without control characters");
                    }

                    data.Params.Add((property.Name, property.Value.GetRawText()));
                }
            }
        }

        if (root.TryGetProperty("metrics", out var metrics))
        {
            foreach (var file in metrics.EnumerateObject())
            {
                if (file.Value.TryGetProperty("data", out var summary))
                {
                    Flatten(step, summary, prefix: string.Empty, $"metrics.{file.Name}.data", data.Values);
                }
            }
        }

        if (root.TryGetProperty("plots", out var plots))
        {
            foreach (var plot in plots.EnumerateObject())
            {
                var field = $"plots.{plot.Name}";
                if (plot.Value.TryGetProperty("image", out var image))
                {
                    var imageName = After(plot.Name, ImagesFolder);
                    HubRequest.CheckText(field, imageName, 255, required: true);
                    try
                    {
                        data.Images.Add((imageName, Convert.FromBase64String(image.GetString()!)));
                    }
                    catch (FormatException)
                    {
                        throw HubApiException.Invalid(field + ".image", "expected base64-encoded image bytes");
                    }
                }

                if (plot.Value.TryGetProperty("data", out var rows))
                {
                    AddRows(step, plot.Name, field, rows, data.Values);
                }
            }
        }

        return data;
    }

    private static void AddRows(long step, string path, string field, JsonElement rows, List<(string Name, long Step, double Value)> values)
    {
        var series = After(path, MetricsFolder);
        var extension = Path.GetExtension(series);
        series = extension is ".tsv" or ".csv" or ".json" ? series[..^extension.Length] : series;
        var stem = series[(series.LastIndexOf('/') + 1)..];
        var i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            var rowStep = row.TryGetProperty("step", out var rs) && rs.ValueKind == JsonValueKind.Number && rs.TryGetInt64(out var parsed) ? parsed : step;
            foreach (var column in row.EnumerateObject())
            {
                // Timestamps are strings; non-finite values arrive as the strings "nan", "inf", "-inf".
                if (column.Name is "step" or "timestamp" || column.Value.ValueKind != JsonValueKind.Number || rowStep < 0)
                {
                    continue;
                }

                var value = column.Value.GetDouble();
                if (double.IsFinite(value))
                {
                    var name = column.Name == stem ? series : $"{series}/{column.Name}";
                    MetricEndpoints.CheckName($"{field}.data[{i}].{column.Name}", name);
                    values.Add((name, rowStep, value));
                }
            }

            i++;
        }
    }

    private static async Task StoreAsync(HubServices services, string runId, StudioData data, CancellationToken cancellationToken)
    {
        if (data.Params.Count > 0)
        {
            await services.Store.UpsertParamsAsync(runId, data.Params, cancellationToken).ConfigureAwait(false);
        }

        if (data.Images.Count > 0)
        {
            var store = new InteropStore(services.Store.Database);
            foreach (var (name, content) in data.Images)
            {
                var sha = await services.Blobs.PutAsync(content, cancellationToken).ConfigureAwait(false);
                await store.UpsertImageAsync(
                    new RunImageRow { RunId = runId, Name = name, Step = data.Step, Sha256 = sha, Size = content.Length, CreatedAt = services.NowMs },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        if (data.Values.Count > 0)
        {
            var rows = data.Values.Select(v => new MetricRow(runId, v.Name, v.Step, null, v.Value)).ToList();
            await services.Metrics.WriteAsync(runId, rows, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await services.Store.HeartbeatAsync(runId, null, null, services.NowMs, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Flatten(long step, JsonElement data, string prefix, string field, List<(string Name, long Step, double Value)> rows)
    {
        foreach (var property in data.EnumerateObject())
        {
            if (prefix.Length == 0 && property.Name == "step")
            {
                continue;
            }

            var name = prefix + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(step, property.Value, name + "/", $"{field}.{property.Name}", rows);
                    break;
                case JsonValueKind.Number when double.IsFinite(property.Value.GetDouble()):
                    MetricEndpoints.CheckName($"{field}.{property.Name}", name);
                    rows.Add((name, step, property.Value.GetDouble()));
                    break;
                default:
                    // Strings ("nan", "inf", text metrics), booleans and lists are not plottable values.
                    break;
            }
        }
    }

    private static string After(string path, string folder)
    {
        var at = path.IndexOf(folder, StringComparison.Ordinal);
        return at >= 0 ? path[(at + folder.Length)..] : path;
    }
}
