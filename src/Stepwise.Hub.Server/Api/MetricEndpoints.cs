using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>Metric ingestion (group-committed, idempotent) and queries.</summary>
internal static class MetricEndpoints
{
    /// <summary>Longest metric name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Maps the routes.</summary>
    /// <param name="api">The <c>/api/v1</c> group.</param>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/runs/{runId}/metrics", PostAsync).Accepts<MetricsBatchRequest>("application/json").Produces<MetricsBatchResponse>();
        api.MapGet("/runs/{runId}/metrics", GetAsync).Produces<MetricsResponse>();
        api.MapGet("/runs/{runId}/metrics/summary", SummaryAsync).Produces<IReadOnlyList<MetricSummary>>();
    }

    /// <summary>Checks a metric name.</summary>
    /// <param name="field">Field for errors.</param>
    /// <param name="name">The name.</param>
    /// <exception cref="HubApiException">400 naming the field.</exception>
    public static void CheckName(string field, string name)
    {
        if (name.Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw HubApiException.Invalid(field, $"a metric name is 1–{MaxNameLength} characters without control characters");
        }
    }

    /// <summary>Validates a batch and turns it into rows.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="body">The batch.</param>
    /// <param name="maxValues">Most values allowed.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="HubApiException">400 naming the field, 413 for too many values.</exception>
    public static List<MetricRow> ToRows(string runId, MetricsBatchRequest body, int maxValues)
    {
        if (body.Points is null)
        {
            throw HubApiException.Invalid("points", "is required");
        }

        var rows = new List<MetricRow>();
        for (var i = 0; i < body.Points.Count; i++)
        {
            var point = body.Points[i] ?? throw HubApiException.Invalid($"points[{i}]", "must be an object");
            if (point.Step < 0)
            {
                throw HubApiException.Invalid($"points[{i}].step", "must be 0 or more");
            }

            if (point.Epoch < 0)
            {
                throw HubApiException.Invalid($"points[{i}].epoch", "must be 0 or more");
            }

            if (point.Values is null)
            {
                throw HubApiException.Invalid($"points[{i}].values", "is required");
            }

            foreach (var (name, value) in point.Values)
            {
                CheckName($"points[{i}].values", name);
                if (!double.IsFinite(value))
                {
                    throw HubApiException.Invalid($"points[{i}].values.{name}", "must be a finite number");
                }

                rows.Add(new MetricRow(runId, name, point.Step, point.Epoch, value));
            }

            if (rows.Count > maxValues)
            {
                throw HubApiException.TooLarge("points", $"A batch holds at most {maxValues} values.");
            }
        }

        return rows;
    }

    private static async Task<IResult> PostAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunStateAsync(context, services, runId, write: true).ConfigureAwait(false);
        var body = await HubRequest.ReadJsonAsync<MetricsBatchRequest>(context, services.Options.MaxJsonBodyBytes).ConfigureAwait(false);
        var rows = ToRows(run.Id, body, services.Options.MaxValuesPerBatch);
        if (rows.Count > 0)
        {
            await services.Metrics.WriteAsync(run.Id, rows, context.RequestAborted).ConfigureAwait(false);
        }

        return Results.Json(new MetricsBatchResponse(rows.Count, run.StopRequested, run.StopReason), HubJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        var name = context.Request.Query["name"].ToString();
        if (name.Length > 0)
        {
            CheckName("name", name);
        }

        var maxPoints = HubRequest.QueryInt(context.Request.Query["maxPoints"], "maxPoints", 0, 2, 100_000);
        var rows = await services.Store.GetSeriesAsync(run.Id, name.Length == 0 ? null : name, context.RequestAborted).ConfigureAwait(false);
        var series = new List<MetricSeries>();
        foreach (var group in rows.GroupBy(r => r.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var points = group.Select(r => new SeriesPoint(r.Step, r.Epoch is { } e ? (int)e : null, r.Value)).ToList();
            var shown = maxPoints > 0 ? Downsampler.MinMax(points, maxPoints) : points;
            series.Add(new MetricSeries(group.Key, shown, points.Count, shown.Count < points.Count));
        }

        return Results.Json(new MetricsResponse(series), HubJson.Options);
    }

    private static async Task<IResult> SummaryAsync(HttpContext context, HubServices services, string runId)
    {
        var run = await HubRequest.RequireRunAsync(context, services, runId, write: false).ConfigureAwait(false);
        var rows = await services.Store.GetSummaryAsync(run.Id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new MetricSummary(r.Name, r.Count, r.LastStep, r.Last, r.Min, r.Max)).ToList(), HubJson.Options);
    }
}
