using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Api;
using Stepwise.Hub.Server.Auth;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Interop;

/// <summary>
/// The Ultralytics HUB training-session endpoints (<c>/v1/…</c>), so the reference Python client, pointed
/// at the Hub with <c>ULTRALYTICS_HUB_API</c>, trains into a Hub run: auth check, model create/get (a HUB
/// model is a Hub run; its id is the run id), metrics per epoch as JSON strings, heartbeats and multipart
/// checkpoint uploads. Answers use the HUB shape (<c>success</c>, <c>message</c>, <c>data</c>); errors add
/// <c>field</c>. The key comes in <c>x-api-key</c> (or <c>Authorization: Bearer</c>).
/// </summary>
internal static class UltralyticsHubEndpoints
{
    /// <summary>Prefix of the HUB routes.</summary>
    public const string Prefix = "/v1";

    /// <summary>Project for admin keys.</summary>
    public const string DefaultProject = "ultralytics";

    /// <summary>The metric the final upload's <c>map</c> field carries.</summary>
    public const string FinalMetric = "metrics/mAP50-95(B)";

    // Training arguments a created model keeps, named as the trainer expects them (HUB config name → arg).
    private static readonly (string Config, string Arg)[] ConfigArgs =
        [("epochs", "epochs"), ("imageSize", "imgsz"), ("batchSize", "batch"), ("patience", "patience"), ("device", "device"), ("cache", "cache")];

    /// <summary>Maps the routes.</summary>
    /// <param name="app">The application's routes.</param>
    public static void Map(IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup(Prefix).WithTags("ultralytics-hub");
        v1.MapPost("/auth", (HttpContext c, HubServices s) => Guard(c, () => AuthAsync(c, s)));
        v1.MapPost("/models", (HttpContext c, HubServices s) => Guard(c, () => CreateAsync(c, s)));
        v1.MapGet("/models/{modelId}", (HttpContext c, HubServices s, string modelId) => Guard(c, () => GetAsync(c, s, modelId)));
        v1.MapPost("/models/{modelId}", (HttpContext c, HubServices s, string modelId) => Guard(c, () => MetricsAsync(c, s, modelId)));
        v1.MapPost("/models/{modelId}/upload", (HttpContext c, HubServices s, string modelId) => Guard(c, () => UploadAsync(c, s, modelId)));
        v1.MapPost("/agent/heartbeat/models/{modelId}", (HttpContext c, HubServices s, string modelId) => Guard(c, () => HeartbeatAsync(c, s, modelId)));

        // The client prints "View model at <HUB web>/models/<id>": with the Hub as HUB web, that opens the run page.
        app.MapGet("/models/{modelId}", (string modelId) => HubRequest.IsId(modelId) ? Results.Redirect($"/#/run/{modelId}") : Results.NotFound())
            .ExcludeFromDescription();
    }

    private static async Task<IResult> Guard(HttpContext context, Func<Task<IResult>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (HubApiException ex) when (!context.Response.HasStarted)
        {
            var body = new JsonObject { ["success"] = false, ["message"] = ex.Message };
            if (ex.Field is not null)
            {
                body["field"] = ex.Field;
            }

            return Json(body, ex.Status);
        }
    }

    private static IResult Json(JsonObject body, int status = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Success(string? message, JsonNode? data = null)
    {
        var body = new JsonObject { ["success"] = true };
        if (data is not null)
        {
            body["data"] = data;
        }

        if (message is not null)
        {
            body["message"] = message;
        }

        return Json(body);
    }

    private static async Task<HubPrincipal> AuthenticateAsync(HttpContext context, HubServices services)
    {
        var key = HubMiddleware.KeyOf(context.Request);
        var principal = key is null ? null : await services.Keys.AuthenticateAsync(key, context.RequestAborted).ConfigureAwait(false);
        if (principal is null)
        {
            throw new HubApiException(
                StatusCodes.Status401Unauthorized,
                "unauthorized",
                "Unauthorized",
                key is null ? $"Send an API key in the {HubHeaders.ApiKey} header." : "Invalid API key",
                HubHeaders.ApiKey);
        }

        context.Items[HubRequest.PrincipalItem] = principal;
        return principal;
    }

    private static async Task<RunRow> RequireModelAsync(HttpContext context, HubServices services, string modelId, bool write)
    {
        var principal = await AuthenticateAsync(context, services).ConfigureAwait(false);
        var run = HubRequest.IsId(modelId) ? await services.Store.GetRunAsync(modelId, context.RequestAborted).ConfigureAwait(false) : null;
        if (run is null)
        {
            throw HubApiException.NotFound("modelId", $"Model '{HubRequest.Shorten(modelId)}' not found.");
        }

        if (!principal.CanRead(run.Project) || (write && !principal.CanWrite(run.Project)))
        {
            throw HubApiException.Forbidden($"The key '{principal.KeyId}' may not {(write ? "write to" : "read")} project '{run.Project}'.");
        }

        return run;
    }

    private static async Task<JsonElement> ReadObjectAsync(HttpContext context, HubServices services)
    {
        var bytes = await HubRequest.ReadBodyAsync(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(PythonJson.Sanitize(Encoding.UTF8.GetString(bytes.Span)));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw HubApiException.Invalid("body", "expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw HubApiException.Invalid("body", $"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}");
        }
    }

    private static async Task<IResult> AuthAsync(HttpContext context, HubServices services)
    {
        await AuthenticateAsync(context, services).ConfigureAwait(false);
        return Success(null);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, HubServices services)
    {
        await AuthenticateAsync(context, services).ConfigureAwait(false);
        var root = await ReadObjectAsync(context, services).ConfigureAwait(false);
        var config = Section(root, "config");
        var dataset = Section(root, "dataset");
        var meta = Section(root, "meta");
        var data = Text(dataset, "dataset.name", required: true)!;
        var model = Text(meta, "meta.name", required: false);
        var args = new JsonObject();
        if (model is not null)
        {
            args["model"] = model;
        }

        args["data"] = data;
        foreach (var (configName, arg) in ConfigArgs)
        {
            if (config is not { } c || !c.TryGetProperty(configName, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var field = "config." + configName;
            args[arg] = configName switch
            {
                "epochs" or "patience" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var whole) && whole >= 0
                    ? whole
                    : throw HubApiException.Invalid(field, "expected a whole number 0 or more"),
                "device" => value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? JsonValue.Create(value) : throw HubApiException.Invalid(field, "expected a string"),
                "cache" => value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString() switch
                    {
                        "False" or "false" => false,
                        "True" or "true" => true,
                        var other => JsonValue.Create(other),
                    },
                    JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
                    _ => throw HubApiException.Invalid(field, "expected a string or boolean"),
                },
                _ => value.ValueKind is JsonValueKind.Number or JsonValueKind.Array ? JsonNode.Parse(value.GetRawText()) : throw HubApiException.Invalid(field, "expected a number"),
            };
        }

        var project = InteropRuns.ProjectFor(context, hint: null, DefaultProject);
        var now = services.NowMs;
        var name = model is null ? "model" : Path.GetFileNameWithoutExtension(model);
        HubRequest.CheckText("meta.name", name, 200, required: false);
        var row = new RunRow
        {
            Id = HubRequest.NewId(services.Time),
            Project = project,
            Name = name.Length == 0 ? "model" : name,
            Status = "running",
            CreatedAt = now,
            LastSeenAt = now,
            Args = args.ToJsonString(),
            Client = JsonSerializer.Serialize(new ClientInfo("ultralytics"), HubJson.Options),
            PrimaryMetric = FinalMetric,
            PrimaryMode = "max",
        };
        var (stored, _) = await services.Store.CreateRunAsync(row, context.RequestAborted).ConfigureAwait(false);
        return Success("Model created", new JsonObject { ["id"] = stored.Id });
    }

    private static async Task<IResult> GetAsync(HttpContext context, HubServices services, string modelId)
    {
        var run = await RequireModelAsync(context, services, modelId, write: false).ConfigureAwait(false);
        var args = run.Args is null ? [] : JsonNode.Parse(run.Args) as JsonObject ?? [];
        var trainArgs = new JsonObject();
        foreach (var (key, value) in args)
        {
            if (key is not ("model" or "cfg"))
            {
                trainArgs[key] = value?.DeepClone();
            }
        }

        var data = new JsonObject
        {
            ["id"] = run.Id,
            ["name"] = run.Name,
            // Never "trained": that makes the client download weights instead of training.
            ["status"] = run.Status,
            ["cfg"] = (args["model"] ?? args["cfg"])?.DeepClone(),
            ["data"] = args["data"]?.DeepClone(),
            ["has_last_weights"] = false,
            ["is_pretrained"] = false,
            ["weights"] = null,
            ["resume"] = null,
            ["train_args"] = trainArgs,
        };
        foreach (var (key, arg) in (ReadOnlySpan<(string, string)>)[("batch_size", "batch"), ("epochs", "epochs"), ("imgsz", "imgsz"), ("patience", "patience"), ("device", "device"), ("cache", "cache")])
        {
            if (args[arg] is { } value)
            {
                data[key] = value.DeepClone();
            }
        }

        return Success(null, data);
    }

    private static async Task<IResult> MetricsAsync(HttpContext context, HubServices services, string modelId)
    {
        var run = await RequireModelAsync(context, services, modelId, write: true).ConfigureAwait(false);
        var root = await ReadObjectAsync(context, services).ConfigureAwait(false);
        var type = Text(root, "type", required: true);
        if (type != "metrics")
        {
            throw HubApiException.Invalid("type", "only \"metrics\" updates are accepted");
        }

        if (!root.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
        {
            throw HubApiException.Invalid("metrics", "expected an object of epoch → JSON string of metric values");
        }

        var rows = new List<MetricRow>();
        foreach (var epochEntry in metrics.EnumerateObject())
        {
            var field = "metrics." + epochEntry.Name;
            if (!int.TryParse(epochEntry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            {
                throw HubApiException.Invalid(field, "an epoch key is a whole number 0 or more");
            }

            var values = EpochValues(epochEntry.Value, field);
            foreach (var value in values.EnumerateObject())
            {
                if (value.Value.ValueKind == JsonValueKind.Null)
                {
                    continue; // NaN / Infinity from the client's JSON encoder.
                }

                if (value.Value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.Value.GetDouble()))
                {
                    throw HubApiException.Invalid($"{field}.{value.Name}", "expected a number");
                }

                MetricEndpoints.CheckName($"{field}.{value.Name}", value.Name);
                rows.Add(new MetricRow(run.Id, value.Name, epoch, epoch, value.Value.GetDouble()));
            }
        }

        if (rows.Count > services.Options.MaxValuesPerBatch)
        {
            throw HubApiException.TooLarge("metrics", $"A batch holds at most {services.Options.MaxValuesPerBatch} values.");
        }

        if (rows.Count > 0)
        {
            await services.Metrics.WriteAsync(run.Id, rows, context.RequestAborted).ConfigureAwait(false);
        }

        return Success("Metrics uploaded");
    }

    private static JsonElement EpochValues(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(PythonJson.Sanitize(value.GetString()!));
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
                // Reported below.
            }
        }

        throw HubApiException.Invalid(field, "expected a JSON object (or its JSON text) of metric name → number");
    }

    private static async Task<IResult> UploadAsync(HttpContext context, HubServices services, string modelId)
    {
        var run = await RequireModelAsync(context, services, modelId, write: true).ConfigureAwait(false);
        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media) && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(media.Boundary).Value
            : throw HubApiException.UnsupportedMediaType("Upload weights as multipart/form-data (epoch, type, isBest or map, then the file).");
        if (string.IsNullOrEmpty(boundary))
        {
            throw HubApiException.Invalid("Content-Type", "multipart/form-data needs a boundary");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new MultipartReader(boundary, context.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        while (await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
            {
                throw HubApiException.Invalid("body", "every multipart section needs Content-Disposition: form-data");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            if (fileName is null)
            {
                using var text = new StreamReader(section.Body);
                var value = await text.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
                if (value.Length > 1024)
                {
                    throw HubApiException.Invalid(name, "form fields are at most 1024 characters");
                }

                fields[name] = value;
                continue;
            }

            var upload = UltralyticsUpload.Parse(fields);
            CheckpointEndpoints.CheckFileName("file", fileName);
            using var pending = await services.Blobs.ReceiveAsync(section.Body, services.Options.MaxUploadBytes, context.RequestAborted).ConfigureAwait(false);
            if (pending.TooLarge)
            {
                throw HubApiException.TooLarge("file", $"A checkpoint is at most {services.Options.MaxUploadBytes} bytes.");
            }

            if (pending.Size == 0)
            {
                throw HubApiException.Invalid("file", "the file is empty");
            }

            pending.Commit();
            var kinds = upload.Final ? ["final"] : upload.IsBest ? (string[])["last", "best"] : ["last"];
            foreach (var kind in kinds)
            {
                if (await services.Store.FindCheckpointAsync(run.Id, kind, upload.Epoch, pending.Sha256, context.RequestAborted).ConfigureAwait(false) is not null)
                {
                    continue; // A retried upload of the same file.
                }

                await services.Store.InsertCheckpointAsync(
                    new CheckpointRow
                    {
                        Id = HubRequest.NewId(services.Time),
                        RunId = run.Id,
                        Kind = kind,
                        Epoch = upload.Epoch,
                        Name = fileName,
                        Size = pending.Size,
                        Sha256 = pending.Sha256,
                        CreatedAt = services.NowMs,
                        MetricName = upload.Map is null ? null : FinalMetric,
                        MetricValue = upload.Map,
                    },
                    context.RequestAborted).ConfigureAwait(false);
            }

            var now = services.NowMs;
            if (upload.Final)
            {
                // The final upload is the client's last act of training.
                await services.Store.SetRunStatusAsync(run.Id, "finished", now, now, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                await services.Store.HeartbeatAsync(run.Id, null, null, now, context.RequestAborted).ConfigureAwait(false);
            }

            return Success("Weights uploaded");
        }

        throw HubApiException.Invalid("file", "the multipart body has no file part");
    }

    private static async Task<IResult> HeartbeatAsync(HttpContext context, HubServices services, string modelId)
    {
        var run = await RequireModelAsync(context, services, modelId, write: true).ConfigureAwait(false);
        string? agentId = null;
        if (context.Request.ContentLength is not (0 or null) || context.Request.ContentType is not null)
        {
            var root = await ReadObjectAsync(context, services).ConfigureAwait(false);
            Text(root, "agent", required: false);
            agentId = Text(root, "agentId", required: false);
            HubRequest.CheckText("agentId", agentId, 200, required: false);
        }

        agentId ??= run.AgentId ?? "agent-" + HubRequest.NewId(services.Time)[^12..];
        await services.Store.HeartbeatAsync(run.Id, agentId, null, services.NowMs, context.RequestAborted).ConfigureAwait(false);
        return Success(null, new JsonObject { ["agentId"] = agentId });
    }

    private static JsonElement? Section(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw HubApiException.Invalid(name, "expected an object");
    }

    private static string? Text(JsonElement? parent, string field, bool required)
    {
        var name = field[(field.LastIndexOf('.') + 1)..];
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw HubApiException.Invalid(field, "is required") : null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw HubApiException.Invalid(field, "expected a string");
    }
}
