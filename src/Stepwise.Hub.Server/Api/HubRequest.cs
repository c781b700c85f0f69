using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Auth;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>Request helpers shared by the endpoints: bounded JSON reading, auth checks, validation.</summary>
internal static partial class HubRequest
{
    /// <summary>The key under which the auth middleware stores the caller.</summary>
    public const string PrincipalItem = "stepwise.principal";

    /// <summary>The authenticated caller.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The principal.</returns>
    public static HubPrincipal Principal(HttpContext context) =>
        context.Items[PrincipalItem] as HubPrincipal ?? throw new InvalidOperationException("The request was not authenticated.");

    /// <summary>Reads a JSON body of at most <paramref name="maxBytes"/> into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="context">The request.</param>
    /// <param name="maxBytes">Largest body accepted (413 beyond).</param>
    /// <returns>The body.</returns>
    /// <exception cref="HubApiException">415, 413 or 400 naming the field.</exception>
    public static async Task<T> ReadJsonAsync<T>(HttpContext context, long maxBytes)
        where T : class
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !(contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase)))
        {
            throw HubApiException.UnsupportedMediaType("Send the body as application/json.");
        }

        var bytes = await ReadBodyAsync(context, maxBytes).ConfigureAwait(false);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(bytes.Span, HubJson.Options);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex.Path);
            var what = ex.Message.Split(" Path:", 2)[0].Split(" | ", 2)[0];
            var malformed = ex.InnerException?.GetType().Name == "JsonReaderException";
            throw malformed || field.Length == 0
                ? HubApiException.Invalid("body", $"malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine} ({what})")
                : HubApiException.Invalid(field, $"invalid value ({what})");
        }

        return value ?? throw HubApiException.Invalid("body", "a JSON object is required");
    }

    /// <summary>Reads the whole body, refusing more than <paramref name="maxBytes"/>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="maxBytes">The limit.</param>
    /// <returns>The bytes.</returns>
    public static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw HubApiException.TooLarge("body", $"The body is {context.Request.ContentLength} bytes; the limit is {maxBytes}.");
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(context.Request.ContentLength ?? 4096, maxBytes) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await context.Request.Body.ReadAsync(memory, context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw HubApiException.TooLarge("body", $"The body is larger than the limit of {maxBytes} bytes.");
            }
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Turns a System.Text.Json path (<c>$.points[0].values.loss</c>) into a field name.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The field (<c>points[0].values.loss</c>), empty for the root.</returns>
    public static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        path = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // Names with special characters come as ['a/b']; keep them readable.
        return BracketName().Replace(path, m => "." + m.Groups[1].Value).TrimStart('.');
    }

    /// <summary>Loads a run the caller may access.</summary>
    /// <param name="context">The request.</param>
    /// <param name="services">The services.</param>
    /// <param name="runId">The route value.</param>
    /// <param name="write">True when the caller must be able to write.</param>
    /// <returns>The run.</returns>
    /// <exception cref="HubApiException">404 unknown run, 403 wrong project or scope.</exception>
    public static async Task<RunRow> RequireRunAsync(HttpContext context, HubServices services, string runId, bool write)
    {
        RequireRunId(runId);
        var run = await services.Store.GetRunAsync(runId, context.RequestAborted).ConfigureAwait(false)
            ?? throw HubApiException.NotFound("runId", $"No run '{runId}'.");
        RequireRunAccess(context, run.Project, write);
        return run;
    }

    /// <summary>Like <see cref="RequireRunAsync"/> but from the run-state cache (metric uploads).</summary>
    /// <param name="context">The request.</param>
    /// <param name="services">The services.</param>
    /// <param name="runId">The route value.</param>
    /// <param name="write">True when the caller must be able to write.</param>
    /// <returns>The run's state.</returns>
    /// <exception cref="HubApiException">404 unknown run, 403 wrong project or scope.</exception>
    public static async Task<RunState> RequireRunStateAsync(HttpContext context, HubServices services, string runId, bool write)
    {
        RequireRunId(runId);
        var run = await services.Runs.GetAsync(runId, context.RequestAborted).ConfigureAwait(false)
            ?? throw HubApiException.NotFound("runId", $"No run '{runId}'.");
        RequireRunAccess(context, run.Project, write);
        return run;
    }

    private static void RequireRunId(string runId)
    {
        if (!IsId(runId))
        {
            throw HubApiException.NotFound("runId", $"No run '{Shorten(runId)}' (run ids are 32 hex characters).");
        }
    }

    private static void RequireRunAccess(HttpContext context, string project, bool write)
    {
        var principal = Principal(context);
        if (!principal.CanRead(project))
        {
            throw HubApiException.Forbidden($"The key '{principal.KeyId}' has no access to this run's project.");
        }

        if (write && !principal.CanWrite(project))
        {
            throw HubApiException.Forbidden($"The key '{principal.KeyId}' may not write to project '{project}'.");
        }
    }

    /// <summary>Checks access to a project named in the route.</summary>
    /// <param name="context">The request.</param>
    /// <param name="project">The project.</param>
    /// <param name="write">True when the caller must be able to write.</param>
    /// <exception cref="HubApiException">400 invalid name, 403 no access.</exception>
    public static void RequireProject(HttpContext context, string project, bool write)
    {
        if (!IsProjectName(project))
        {
            throw HubApiException.Invalid("project", "a project name is 1–64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }

        var principal = Principal(context);
        if (write ? !principal.CanWrite(project) : !principal.CanRead(project))
        {
            throw HubApiException.Forbidden($"The key '{principal.KeyId}' may not {(write ? "write to" : "read")} project '{project}'.");
        }
    }

    /// <summary>Requires an admin key.</summary>
    /// <param name="context">The request.</param>
    /// <exception cref="HubApiException">403.</exception>
    public static void RequireAdmin(HttpContext context)
    {
        var principal = Principal(context);
        if (principal.Scope != KeyScope.Admin)
        {
            throw HubApiException.Forbidden($"The key '{principal.KeyId}' is not an admin key.");
        }
    }

    /// <summary>True for a run or checkpoint id: 32 lower-case hex characters.</summary>
    /// <param name="text">The text.</param>
    /// <returns>True when valid.</returns>
    public static bool IsId(string? text) => text is { Length: 32 } && text.All(char.IsAsciiHexDigitLower);

    /// <summary>True for a project slug.</summary>
    /// <param name="text">The text.</param>
    /// <returns>True when valid.</returns>
    public static bool IsProjectName(string? text) => text is not null && ProjectName().IsMatch(text);

    /// <summary>Validates a display text: required or not, length, no control characters.</summary>
    /// <param name="field">The field name for errors.</param>
    /// <param name="text">The value.</param>
    /// <param name="maxLength">Longest allowed.</param>
    /// <param name="required">True when it must be present.</param>
    /// <exception cref="HubApiException">400 naming the field.</exception>
    public static void CheckText(string field, string? text, int maxLength, bool required)
    {
        if (text is null)
        {
            if (required)
            {
                throw HubApiException.Invalid(field, "is required");
            }

            return;
        }

        if (required && text.Trim().Length == 0)
        {
            throw HubApiException.Invalid(field, "must not be empty");
        }

        if (text.Length > maxLength)
        {
            throw HubApiException.Invalid(field, $"is longer than {maxLength} characters");
        }

        if (text.Any(char.IsControl))
        {
            throw HubApiException.Invalid(field, "contains control characters");
        }
    }

    /// <summary>A new sortable id: 32 lower-case hex characters of a version-7 GUID.</summary>
    /// <param name="time">The clock.</param>
    /// <returns>The id.</returns>
    public static string NewId(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow()).ToString("N");

    /// <summary>Cuts text for error messages.</summary>
    /// <param name="text">The text.</param>
    /// <returns>At most 40 characters.</returns>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Parses an optional whole-number query value.</summary>
    /// <param name="text">The query value.</param>
    /// <param name="field">Its name for errors.</param>
    /// <param name="fallback">The value when absent.</param>
    /// <param name="min">Smallest allowed.</param>
    /// <param name="max">Largest allowed.</param>
    /// <returns>The value.</returns>
    /// <exception cref="HubApiException">400 naming the field.</exception>
    public static int QueryInt(string? text, string field, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw HubApiException.Invalid(field, $"must be a whole number from {min} to {max}");
        }

        return value;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ProjectName();

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex BracketName();
}
