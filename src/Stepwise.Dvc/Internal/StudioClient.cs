using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Internal;

/// <summary>
/// DVC Studio live metrics: <c>start</c> (synchronous), <c>data</c> events posted in order by one
/// background worker (never blocking the training loop; when the endpoint falls far behind, the oldest
/// queued events are dropped, since every event carries the full params and metrics and all rows not
/// yet acknowledged), and <c>done</c>. Failures are warnings with bounded retries.
/// </summary>
internal sealed class StudioClient : IDisposable
{
    private const int MaxPlots = 200;
    private const int MaxPlotBytes = 10_000_000;
    private const int MaxTotalBytes = 29_000_000;
    private const int QueueCapacity = 1024;

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _token;
    private readonly OrderedDictionary<string, object?> _common;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _retries;
    private readonly TimeSpan _retryDelay;
    private readonly Channel<DataEvent> _queue = Channel.CreateBounded<DataEvent>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Task _worker;
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, List<OrderedDictionary<string, object?>>> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _acknowledged = new(StringComparer.Ordinal);
    private long _lastAcknowledgedStep;
    private bool _dataDisabled;
    private bool _doneSent;

    /// <summary>One queued <c>data</c> event: a snapshot taken at the sync.</summary>
    internal sealed record DataEvent(long Step, object? Params, object? Metrics, Dictionary<string, int> RowCounts, List<(string Path, byte[] Bytes, long Step)> Images);

    public StudioClient(HttpMessageHandler handler, Uri url, string token, OrderedDictionary<string, object?> common, ILogger logger, TimeProvider time, int retries, TimeSpan retryDelay, long lastAcknowledgedStep)
    {
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(35) };
        _url = url;
        _token = token;
        _common = common;
        _logger = logger;
        _time = time;
        _retries = retries;
        _retryDelay = retryDelay;
        _lastAcknowledgedStep = lastAcknowledgedStep;
        _worker = Task.Run(WorkAsync);
    }

    /// <summary>The <c>url</c> of a Studio base and endpoint, with <c>urljoin</c> semantics.</summary>
    public static Uri Join(string baseUrl, string endpoint) => new(new Uri(baseUrl), endpoint);

    private OrderedDictionary<string, object?> Body(string type)
    {
        var body = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["type"] = type };
        foreach (var (key, value) in _common)
        {
            body[key] = value;
        }

        return body;
    }

    /// <summary>Posts <c>start</c>; false disables the whole run's updates (as the reference does).</summary>
    public bool Start(string? message, string? subdir)
    {
        var body = Body("start");
        if (!string.IsNullOrEmpty(message))
        {
            body["message"] = message.Length > 72 ? message[..72] : message;
        }

        if (!string.IsNullOrEmpty(subdir))
        {
            body["subdir"] = subdir;
        }

        if (PostAsync(body).GetAwaiter().GetResult())
        {
            return true;
        }

        _logger.LogWarning("`post_to_studio` `start` failed.");
        _dataDisabled = true;
        _doneSent = true;
        _queue.Writer.TryComplete();
        return false;
    }

    /// <summary>Records a metric row for the next event (step as int, timestamp as text, values as floats).</summary>
    public void AddRow(string path, long step, string? timestamp, string column, string cell)
    {
        var row = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (timestamp is not null)
        {
            row["timestamp"] = timestamp;
        }

        row["step"] = step;
        row[column] = double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : cell;
        lock (_gate)
        {
            if (!_rows.TryGetValue(path, out var list))
            {
                list = [];
                _rows[path] = list;
                _acknowledged[path] = 0;
            }

            list.Add(row);
        }
    }

    /// <summary>Queues a <c>data</c> event; never blocks.</summary>
    public void EnqueueData(long step, object? parameters, object? metrics, IEnumerable<(string Path, byte[] Bytes, long Step)> images)
    {
        if (_dataDisabled)
        {
            return;
        }

        Dictionary<string, int> counts;
        lock (_gate)
        {
            counts = _rows.ToDictionary(p => p.Key, p => _acknowledged[p.Key] + p.Value.Count, StringComparer.Ordinal);
        }

        _queue.Writer.TryWrite(new DataEvent(step, parameters, metrics, counts, [.. images]));
    }

    /// <summary>Waits for the queued events (bounded), then posts <c>done</c> once.</summary>
    public void Finish(string? experimentRev, TimeSpan wait)
    {
        _queue.Writer.TryComplete();
        if (!_worker.Wait(wait))
        {
            _logger.LogWarning("Studio updates did not finish within {Seconds} s; the remaining ones are dropped.", wait.TotalSeconds);
        }

        if (_doneSent)
        {
            return;
        }

        _doneSent = true;
        _dataDisabled = true;
        var body = Body("done");
        if (experimentRev is not null)
        {
            body["experiment_rev"] = experimentRev;
        }

        if (!PostAsync(body).GetAwaiter().GetResult())
        {
            _logger.LogWarning("`post_to_studio` `done` failed.");
        }
    }

    private async Task WorkAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await SendDataAsync(item).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Failed to post data to studio: {Message}", ex.Message);
            }
        }
    }

    private async Task SendDataAsync(DataEvent item)
    {
        var first = Body("data");
        first["params"] = item.Params;
        first["metrics"] = item.Metrics;
        first["step"] = item.Step;
        if (!await PostAsync(first).ConfigureAwait(false))
        {
            _logger.LogWarning("`post_to_studio` `data` failed.");
            return;
        }

        var plots = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        long total = 0;
        var entries = 0;
        lock (_gate)
        {
            foreach (var (path, rows) in _rows)
            {
                if (!item.RowCounts.TryGetValue(path, out var upTo))
                {
                    continue;
                }

                var from = _acknowledged[path];
                var slice = rows.Take(Math.Max(0, upTo - from)).Cast<object?>().ToList();
                if (!AddPlot(plots, path, new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["data"] = slice }, PyJson.Serialize(slice, indent: null).Length, ref total, ref entries))
                {
                    break;
                }

                sent[path] = slice.Count;
            }
        }

        foreach (var (path, bytes, step) in item.Images)
        {
            if (step <= _lastAcknowledgedStep)
            {
                continue;
            }

            var base64 = Convert.ToBase64String(bytes);
            if (!AddPlot(plots, path, new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["image"] = base64 }, base64.Length, ref total, ref entries))
            {
                break;
            }
        }

        if (plots.Count > 0)
        {
            var second = Body("data");
            second["step"] = item.Step;
            second["plots"] = plots;
            if (!await PostAsync(second).ConfigureAwait(false))
            {
                _logger.LogWarning("`post_to_studio` `data` failed.");
                return;
            }
        }

        lock (_gate)
        {
            foreach (var (path, count) in sent)
            {
                _rows[path].RemoveRange(0, count);
                _acknowledged[path] += count;
            }
        }

        _lastAcknowledgedStep = item.Step;
    }

    private bool AddPlot(OrderedDictionary<string, object?> plots, string path, object entry, long size, ref long total, ref int entries)
    {
        if (entries >= MaxPlots)
        {
            _logger.LogWarning("Studio: more than {Max} plots in one update; the rest are sent with the next one.", MaxPlots);
            return false;
        }

        if (size > MaxPlotBytes)
        {
            _logger.LogWarning("Studio: plot '{Path}' is larger than {Max} bytes and is not sent.", path, MaxPlotBytes);
            return true;
        }

        total += size;
        if (total > MaxTotalBytes)
        {
            _logger.LogWarning("Studio: update larger than {Max} bytes; the rest is sent with the next one.", MaxTotalBytes);
            return false;
        }

        plots[path] = entry;
        entries++;
        return true;
    }

    private async Task<bool> PostAsync(OrderedDictionary<string, object?> body)
    {
        var json = PyJson.Serialize(body, indent: null);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = content };
                request.Headers.TryAddWithoutValidation("Authorization", "token " + _token);
                using var response = await _http.SendAsync(request).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }

                _logger.LogWarning("Failed to post to Studio: {Status} {Reason}", (int)response.StatusCode, response.ReasonPhrase);
                if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                {
                    return false;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                _logger.LogWarning("Failed to post to Studio: {Message}", ex.Message);
            }

            if (attempt >= _retries)
            {
                return false;
            }

            if (_retryDelay > TimeSpan.Zero)
            {
                await Task.Delay(_retryDelay * (1 << attempt), _time).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.Wait(TimeSpan.FromSeconds(1));
        _http.Dispose();
    }
}
