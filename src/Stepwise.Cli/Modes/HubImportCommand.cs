using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Stepwise.Dvc.Reading;
using Stepwise.Hub.Contracts;
using Stepwise.Settings;

namespace Stepwise.Cli.Modes;

/// <summary>
/// <c>stepwise hub import &lt;path&gt;</c>: uploads a DVCLive folder or the runs of a TensorBoard log
/// directory to the Hub through its REST API. Idempotent: each folder maps to one Hub run (its client run
/// id is derived from the source and the folder), and values, params and images already stored are kept.
/// </summary>
internal static class HubImportCommand
{
    /// <summary>Project used when the key is not bound to one and none is given.</summary>
    public const string DefaultProject = "imported";

    private const int ValuesPerBatch = 2000;

    /// <summary>The usage lines for <c>stepwise hub --help</c>.</summary>
    /// <param name="writer">Where to write.</param>
    public static void WriteUsage(TextWriter writer)
    {
        writer.WriteLine("  stepwise hub import <path> [project=P] [hub_url=URL] [api_key=KEY]");
    }

    /// <summary>The explanation for <c>stepwise hub --help</c>.</summary>
    /// <param name="writer">Where to write.</param>
    public static void WriteDetails(TextWriter writer)
    {
        writer.WriteLine("import uploads existing logs as Hub runs: a DVCLive folder (params.yaml, metrics.json, the");
        writer.WriteLine("metric TSVs, images; <path> may also be the folder that contains 'dvclive') or a TensorBoard");
        writer.WriteLine("log directory (every folder with event files is a run: scalars, hparams as params, images).");
        writer.WriteLine("Importing the same folder again adds only what is new. The project defaults to the API key's");
        writer.WriteLine($"project, else '{DefaultProject}'; hub_url and api_key default to the settings.");
    }

    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments (<c>import</c> first).</param>
    /// <param name="context">The CLI context.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException($"stepwise hub import takes one path (a DVCLive folder or a TensorBoard log directory), got {args.Positionals.Count - 1}.");
        }

        args.RejectUnknown(["project", "hub_url", "api_key"]);
        var settings = StepwiseSettings.Resolve(context.Settings, args.Options);
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            throw new CliUsageException("No API key: pass api_key=KEY or store one with 'stepwise settings api_key=KEY'.");
        }

        var project = args.Get("project");
        if (project is not null && !System.Text.RegularExpressions.Regex.IsMatch(project, "^[a-z0-9][a-z0-9._-]{0,63}$"))
        {
            throw new CliUsageException($"Argument 'project' must be 1–64 characters of a-z, 0-9, '.', '_', '-', got '{project}'.");
        }

        var path = args.Positionals[1];
        var problems = new List<string>();
        IReadOnlyList<ImportedRun> runs;
        try
        {
            runs = LogDirectoryReader.Read(path, problems);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or DvcLiveFormatException or IOException)
        {
            await context.Error.WriteLineAsync($"stepwise hub import: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        foreach (var problem in problems)
        {
            await context.Error.WriteLineAsync($"stepwise hub import: skipped a bad record: {problem}").ConfigureAwait(false);
        }

        if (runs.Count == 0)
        {
            await context.Error.WriteLineAsync($"stepwise hub import: {path} holds neither a DVCLive folder nor TensorBoard event files with scalars, hparams or images.").ConfigureAwait(false);
            return 1;
        }

        using var http = new HttpClient { BaseAddress = new Uri(settings.HubUrl), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add(HubHeaders.ApiKey, settings.ApiKey);
        try
        {
            var me = await ReadAsync<WhoAmIResponse>(await http.GetAsync(HubRoutes.Me, context.Cancellation).ConfigureAwait(false), "checking the API key", context.Cancellation).ConfigureAwait(false);
            project ??= me.Project ?? DefaultProject;
            foreach (var run in runs)
            {
                await ImportAsync(http, project, run, context).ConfigureAwait(false);
            }
        }
        catch (HubImportException ex)
        {
            await context.Error.WriteLineAsync($"stepwise hub import: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException ex)
        {
            await context.Error.WriteLineAsync($"stepwise hub import: cannot reach the Hub at {settings.HubUrl}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        return problems.Count > 0 ? 1 : 0;
    }

    private static async Task ImportAsync(HttpClient http, string project, ImportedRun run, CliContext context)
    {
        var cancellation = context.Cancellation;
        var args = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["imported_from"] = JsonSerializer.SerializeToElement(run.Source),
            ["path"] = JsonSerializer.SerializeToElement(run.Path),
        };
        var version = typeof(HubImportCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        var request = new CreateRunRequest(run.Name.Length > 200 ? run.Name[..200] : run.Name, Args: args, Client: new ClientInfo("stepwise-import", version), ClientRunId: run.ClientRunId);
        var response = await http.PostAsJsonAsync(HubRoutes.Runs(project), request, HubJson.Options, cancellation).ConfigureAwait(false);
        var existed = response.StatusCode == HttpStatusCode.OK;
        var created = await ReadAsync<RunDto>(response, $"creating run '{run.Name}'", cancellation).ConfigureAwait(false);

        if (run.Params.Count > 0)
        {
            await ReadAsync<ParamsDto>(
                await http.PutAsJsonAsync(HubRoutes.Params(created.Id), new ParamsDto(run.Params), HubJson.Options, cancellation).ConfigureAwait(false),
                $"storing the params of '{run.Name}'",
                cancellation).ConfigureAwait(false);
        }

        foreach (var chunk in run.Values.Chunk(ValuesPerBatch))
        {
            var points = chunk.GroupBy(v => v.Step)
                .Select(g => new MetricPoint(g.Key, null, g.GroupBy(v => v.Name, StringComparer.Ordinal).ToDictionary(v => v.Key, v => v.First().Value, StringComparer.Ordinal)))
                .ToList();
            await ReadAsync<MetricsBatchResponse>(
                await http.PostAsJsonAsync(HubRoutes.Metrics(created.Id), new MetricsBatchRequest(points), HubJson.Options, cancellation).ConfigureAwait(false),
                $"storing the metrics of '{run.Name}'",
                cancellation).ConfigureAwait(false);
        }

        foreach (var (name, step, content) in run.Images)
        {
            using var body = new ByteArrayContent(content());
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var path = $"{HubRoutes.Run(created.Id)}/images/content?name={Uri.EscapeDataString(name)}&step={step.ToString(CultureInfo.InvariantCulture)}";
            await ReadAsync<RunImageDto>(await http.PutAsync(path, body, cancellation).ConfigureAwait(false), $"storing image '{name}' of '{run.Name}'", cancellation).ConfigureAwait(false);
        }

        if (created.Status is not HubRunStatus.Finished)
        {
            await ReadAsync<RunDto>(
                await http.PatchAsJsonAsync(HubRoutes.Run(created.Id), new UpdateRunRequest(HubRunStatus.Finished), HubJson.Options, cancellation).ConfigureAwait(false),
                $"finishing run '{run.Name}'",
                cancellation).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync(
            $"{(existed ? "updated" : "imported")} {run.Source} run '{run.Name}' as {created.Id} in project '{project}': "
            + $"{run.Values.Count} values, {run.Params.Count} params, {run.Images.Count} images").ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<T>(HubJson.Options, cancellationToken).ConfigureAwait(false)
                    ?? throw new HubImportException($"{what}: the Hub answered an empty body.");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            string detail;
            try
            {
                detail = JsonSerializer.Deserialize<HubProblemDetails>(text, HubJson.Options)?.Detail ?? text;
            }
            catch (JsonException)
            {
                detail = text;
            }

            throw new HubImportException($"{what}: the Hub answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
        }
    }
}
