using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>Checkpoints: verified upload (raw or multipart), list, ranged download.</summary>
internal static class CheckpointEndpoints
{
    /// <summary>Maps the routes.</summary>
    /// <param name="api">The <c>/api/v1</c> group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/runs/{runId}/checkpoints", UploadAsync)
            .Accepts<Stream>("application/octet-stream", "multipart/form-data")
            .Produces<CheckpointDto>(StatusCodes.Status201Created);
        api.MapGet("/runs/{runId}/checkpoints", ListAsync).Produces<IReadOnlyList<CheckpointDto>>();
        api.MapGet("/runs/{runId}/checkpoints/{checkpointId}/content", DownloadAsync).Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
    }

    /// <summary>Checks a display file name: no path parts, no control characters.</summary>
    /// <param name="field">Field for errors.</param>
    /// <param name="name">The name.</param>
    /// <exception cref="HubApiException">400 naming the field.</exception>
    public static void CheckFileName(string field, string name)
    {
        if (name.Length == 0 || name.Length > 255 || name.Any(char.IsControl) || name.Contains('/', StringComparison.Ordinal)
            || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
        {
            throw HubApiException.Invalid(field, "a file name is 1–255 characters without '/', '\\', ':', '..' or control characters");
        }
    }

    private static async Task<IResult> UploadAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: true).ConfigureAwait(false);
        var contentType = context.Request.ContentType ?? string.Empty;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        CheckpointRow row;
        if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            row = await ReceiveMultipartAsync(context, services, run.Id, fields).ConfigureAwait(false);
        }
        else if (contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var key in (string[])["kind", "epoch", "name", "sha256", "size", "metricName", "metricValue"])
            {
                var value = context.Request.Query[key].ToString();
                if (value.Length > 0)
                {
                    fields[key] = value;
                }
            }

            var declared = Declare(fields, services.Options.MaxUploadBytes, fallbackName: null);
            if (context.Request.ContentLength is { } length && length != declared.Size)
            {
                throw HubApiException.Invalid("size", $"declared {declared.Size} bytes but the body is {length} bytes");
            }

            row = await ReceiveAsync(context.Request.Body, services, run.Id, declared, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            throw HubApiException.UnsupportedMediaType("Upload a checkpoint as application/octet-stream or multipart/form-data.");
        }

        // A replayed upload (same run, kind, epoch and content) answers the stored record instead of adding one.
        var existing = await services.Store.FindCheckpointAsync(row.RunId, row.Kind, row.Epoch, row.Sha256, context.RequestAborted).ConfigureAwait(false);
        if (existing is not null)
        {
            return Results.Json(RunMapper.ToDto(existing), HubJson.Options, statusCode: StatusCodes.Status200OK);
        }

        await services.Store.InsertCheckpointAsync(row, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(RunMapper.ToDto(row), HubJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<CheckpointRow> ReceiveMultipartAsync(HttpContext context, HubServices services, string runId, Dictionary<string, string> fields)
    {
        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media) ? HeaderUtilities.RemoveQuotes(media.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
        {
            throw HubApiException.Invalid("Content-Type", "multipart/form-data needs a boundary");
        }

        var reader = new MultipartReader(boundary, context.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        while (await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
            {
                throw HubApiException.Invalid("body", "every multipart section needs Content-Disposition: form-data");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            if (fileName is not null || name == "file")
            {
                var declared = Declare(fields, services.Options.MaxUploadBytes, fileName);
                return await ReceiveAsync(section.Body, services, runId, declared, context.RequestAborted).ConfigureAwait(false);
            }

            using var text = new StreamReader(section.Body);
            var value = await text.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            if (value.Length > 1024)
            {
                throw HubApiException.Invalid(name, "form fields are at most 1024 characters");
            }

            fields[name] = value;
        }

        throw HubApiException.Invalid("file", "the multipart body has no file part");
    }

    private static Declared Declare(Dictionary<string, string> fields, long maxBytes, string? fallbackName)
    {
        var kindText = fields.GetValueOrDefault("kind");
        var kind = kindText switch
        {
            "last" or "best" or "final" => kindText,
            null => throw HubApiException.Invalid("kind", "is required (last, best or final)"),
            _ => throw HubApiException.Invalid("kind", "must be last, best or final"),
        };
        int? epoch = null;
        if (fields.TryGetValue("epoch", out var epochText))
        {
            epoch = int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out var e)
                ? e
                : throw HubApiException.Invalid("epoch", "must be a whole number 0 or more");
        }

        var sha = fields.GetValueOrDefault("sha256")?.ToLowerInvariant();
        if (sha is null)
        {
            throw HubApiException.Invalid("sha256", "is required (64 hex characters)");
        }

        if (!BlobStore.IsSha256(sha))
        {
            throw HubApiException.Invalid("sha256", "must be 64 hex characters");
        }

        if (!fields.TryGetValue("size", out var sizeText))
        {
            throw HubApiException.Invalid("size", "is required (bytes)");
        }

        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw HubApiException.Invalid("size", "must be a whole number of bytes");
        }

        if (size > maxBytes)
        {
            throw HubApiException.TooLarge("size", $"A checkpoint is at most {maxBytes} bytes; this one declares {size}.");
        }

        var name = fields.GetValueOrDefault("name") ?? fallbackName ?? kind + ".ckpt";
        CheckFileName(fields.ContainsKey("name") || fallbackName is null ? "name" : "file", name);
        var metricName = fields.GetValueOrDefault("metricName");
        if (metricName is not null)
        {
            MetricEndpoints.CheckName("metricName", metricName);
        }

        double? metricValue = null;
        if (fields.TryGetValue("metricValue", out var metricText))
        {
            metricValue = double.TryParse(metricText, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v
                : throw HubApiException.Invalid("metricValue", "must be a finite number");
        }

        return new Declared(kind, epoch, name, sha, size, metricName, metricValue);
    }

    private static async Task<CheckpointRow> ReceiveAsync(Stream body, HubServices services, string runId, Declared declared, CancellationToken cancellationToken)
    {
        using var pending = await services.Blobs.ReceiveAsync(body, declared.Size, cancellationToken).ConfigureAwait(false);
        if (pending.TooLarge || pending.Size != declared.Size)
        {
            throw HubApiException.Invalid("size", pending.TooLarge
                ? $"declared {declared.Size} bytes but more arrived"
                : $"declared {declared.Size} bytes but {pending.Size} arrived");
        }

        if (!string.Equals(pending.Sha256, declared.Sha256, StringComparison.Ordinal))
        {
            throw HubApiException.Invalid("sha256", $"declared {declared.Sha256} but the content hashes to {pending.Sha256}; nothing was stored");
        }

        pending.Commit();
        return new CheckpointRow
        {
            Id = HubRequest.NewId(services.Time),
            RunId = runId,
            Kind = declared.Kind,
            Epoch = declared.Epoch,
            Name = declared.Name,
            Size = pending.Size,
            Sha256 = pending.Sha256,
            CreatedAt = services.NowMs,
            MetricName = declared.MetricName,
            MetricValue = declared.MetricValue,
        };
    }

    private static async Task<IResult> ListAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        var rows = await services.Store.ListCheckpointsAsync(run.Id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(rows.Select(RunMapper.ToDto).ToList(), HubJson.Options);
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, HubServices services, string runId, string checkpointId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        var row = HubRequest.IsId(checkpointId)
            ? await services.Store.GetCheckpointAsync(run.Id, checkpointId, context.RequestAborted).ConfigureAwait(false)
            : null;
        if (row is null || !services.Blobs.Exists(row.Sha256))
        {
            throw HubApiException.NotFound("checkpointId", $"No checkpoint '{HubRequest.Shorten(checkpointId)}' in run '{run.Id}'.");
        }

        return Results.File(
            services.Blobs.PathOf(row.Sha256),
            "application/octet-stream",
            row.Name,
            lastModified: DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
            entityTag: new EntityTagHeaderValue($"\"{row.Sha256}\""),
            enableRangeProcessing: true);
    }

    private sealed record Declared(string Kind, int? Epoch, string Name, string Sha256, long Size, string? MetricName, double? MetricValue);
}
