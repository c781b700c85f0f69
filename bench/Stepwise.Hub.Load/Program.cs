using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Load;
using Stepwise.Hub.Server;

// Load generator for the Hub: N concurrent clients (one write key and one run each) post metric
// batches as fast as the server answers, for a fixed time. The server runs in a child process
// (this program with "serve") so its memory is measured alone.
//
//   dotnet run -c Release --project bench/Stepwise.Hub.Load -- [clients=16] [values=20] [seconds=60] [db=CONNSTR]
//   dotnet run -c Release --project bench/Stepwise.Hub.Load -- serve data_dir=DIR [db=CONNSTR]
var options = LoadOptions.Parse(args);
if (options.Serve)
{
    return await ServeAsync(options).ConfigureAwait(false);
}

return await LoadAsync(options).ConfigureAwait(false);

static async Task<int> ServeAsync(LoadOptions options)
{
    var server = new HubServerOptions
    {
        Urls = "http://127.0.0.1:0",
        DataDir = options.DataDir ?? throw new ArgumentException("serve needs data_dir="),
        Database = options.Database,
        MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,

        // The default per-key limit (100 requests/s) is what the test measures against, not the server:
        // lift it so each client may send as fast as the server answers.
        RateLimitPerSecond = 100_000,
        RateLimitBurst = 100_000,
    };
    var host = await HubServerHost.StartAsync(server).ConfigureAwait(false);
    await using (host.ConfigureAwait(false))
    {
        Console.WriteLine($"url={host.BaseAddress} key={host.InitialAdminKey}");
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await Console.In.ReadLineAsync().ConfigureAwait(false);
    }

    return 0;
}

static async Task<int> LoadAsync(LoadOptions options)
{
    var dataDir = Path.Combine(Path.GetTempPath(), "stepwise-hub-load-" + Guid.NewGuid().ToString("N")[..8]);
    Directory.CreateDirectory(dataDir);
    var start = new ProcessStartInfo(Environment.ProcessPath!)
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        UseShellExecute = false,
    };
    if (!Environment.ProcessPath!.EndsWith("Stepwise.Hub.Load", StringComparison.Ordinal))
    {
        start.ArgumentList.Add(typeof(LoadOptions).Assembly.Location);
    }

    foreach (var a in (string[])["serve", $"data_dir={dataDir}"])
    {
        start.ArgumentList.Add(a);
    }

    if (options.Database is not null)
    {
        start.ArgumentList.Add($"db={options.Database}");
    }

    using var server = Process.Start(start)!;
    var banner = await server.StandardOutput.ReadLineAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("the server did not start");
    var parts = banner.Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    var baseAddress = new Uri(parts["url"]);
    using var admin = new HttpClient { BaseAddress = baseAddress };
    admin.DefaultRequestHeaders.Add(HubHeaders.ApiKey, parts["key"]);

    var project = "load";
    var clients = new List<(HttpClient Http, string RunId)>();
    for (var i = 0; i < options.Clients; i++)
    {
        var key = await (await admin.PostAsJsonAsync(HubRoutes.Keys, new CreateApiKeyRequest($"load-{i}", KeyScope.Write, project), HubJson.Options).ConfigureAwait(false))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<CreatedApiKeyResponse>(HubJson.Options).ConfigureAwait(false);
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add(HubHeaders.ApiKey, key!.Secret);
        var run = await (await http.PostAsJsonAsync(HubRoutes.Runs(project), new CreateRunRequest($"client-{i}"), HubJson.Options).ConfigureAwait(false))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<RunDto>(HubJson.Options).ConfigureAwait(false);
        clients.Add((http, run!.Id));
    }

    var names = Enumerable.Range(0, options.Values).Select(i => $"metric/{i:00}").ToArray();
    using var stop = new CancellationTokenSource();
    var warmup = TimeSpan.FromSeconds(5);
    var clock = Stopwatch.StartNew();
    var memory = new List<(double Seconds, long RssKb)>();
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            memory.Add((clock.Elapsed.TotalSeconds, Rss(server.Id)));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    });

    var workers = clients.Select(c => Task.Run(async () =>
    {
        var latencies = new List<double>();
        long acked = 0;
        long errors = 0;
        var step = 0L;
        while (!stop.IsCancellationRequested)
        {
            var values = new Dictionary<string, double>(names.Length);
            foreach (var name in names)
            {
                values[name] = Random.Shared.NextDouble();
            }

            var batch = new MetricsBatchRequest([new MetricPoint(step, (int)(step / 100), values)]);
            var sent = Stopwatch.GetTimestamp();
            using var response = await c.Http.PostAsJsonAsync(HubRoutes.Metrics(c.RunId), batch, HubJson.Options).ConfigureAwait(false);
            var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                errors++;
                continue;
            }

            step++;
            if (clock.Elapsed >= warmup)
            {
                latencies.Add(ms);
                acked += names.Length;
            }
        }

        return (latencies, acked, errors, step);
    })).ToList();

    await Task.Delay(warmup).ConfigureAwait(false);
    var serverCpu0 = CpuSeconds(server.Id);
    var ownCpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    await Task.Delay(TimeSpan.FromSeconds(options.Seconds)).ConfigureAwait(false);
    await stop.CancelAsync().ConfigureAwait(false);
    var serverCpu = CpuSeconds(server.Id) - serverCpu0;
    var ownCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - ownCpu0;
    var results = await Task.WhenAll(workers).ConfigureAwait(false);
    var measured = clock.Elapsed - warmup;
    await sampler.ConfigureAwait(false);

    // Read back what is stored: every acknowledged step must be there.
    long stored = 0;
    foreach (var (http, runId) in clients)
    {
        var summary = await http.GetFromJsonAsync<List<MetricSummary>>(HubRoutes.MetricsSummary(runId), HubJson.Options).ConfigureAwait(false);
        stored += summary!.Sum(s => s.Count);
    }

    var all = results.SelectMany(r => r.latencies).Order().ToArray();
    double Pct(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
    var acked = results.Sum(r => r.acked);
    var sent = results.Sum(r => r.step) * names.Length;
    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(inv, $"database      {(options.Database is null ? "SQLite (WAL)" : "PostgreSQL")}"));
    Console.WriteLine(string.Create(inv, $"clients       {options.Clients}, {names.Length} values per batch, {options.Seconds} s measured after {warmup.TotalSeconds} s warm-up"));
    Console.WriteLine(string.Create(inv, $"requests      {all.Length} ok, {results.Sum(r => r.errors)} failed"));
    Console.WriteLine(string.Create(inv, $"throughput    {acked / measured.TotalSeconds:N0} values/s ({all.Length / measured.TotalSeconds:N0} requests/s)"));
    Console.WriteLine(string.Create(inv, $"latency ms    p50 {Pct(0.50):F1}  p90 {Pct(0.90):F1}  p99 {Pct(0.99):F1}  max {all.LastOrDefault():F1}"));
    Console.WriteLine(string.Create(inv, $"stored        {stored:N0} of {sent:N0} acknowledged values ({(stored == sent ? "all" : "MISSING")})"));
    Console.WriteLine(string.Create(inv, $"cpu seconds   server {serverCpu:F1}, load generator {ownCpu:F1} (of {measured.TotalSeconds * Environment.ProcessorCount:F0} available); server {serverCpu * 1e6 / Math.Max(1, acked):F1} µs per value"));
    Console.WriteLine("server RSS    " + string.Join("  ", memory.Select(m => string.Create(inv, $"{m.Seconds:F0}s:{m.RssKb / 1024.0:F0}MB"))));

    await server.StandardInput.WriteLineAsync().ConfigureAwait(false);
    await server.WaitForExitAsync().ConfigureAwait(false);
    foreach (var (http, _) in clients)
    {
        http.Dispose();
    }

    Directory.Delete(dataDir, recursive: true);
    return stored == sent ? 0 : 1;
}

static double CpuSeconds(int pid)
{
    // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 per second on Linux).
    var text = File.ReadAllText($"/proc/{pid}/stat");
    var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
    }

    return 0;
}
