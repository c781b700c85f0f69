using Stepwise.Hub.Http;
using Stepwise.Hub.Session;
using Stepwise.Settings;

namespace Stepwise.Cli.Modes;

/// <summary>The client side of <c>stepwise hub</c>: <c>login</c> (check and store a key) and <c>sync</c> (replay a run's spool).</summary>
internal static class HubClientCommands
{
    public static void WriteUsage(TextWriter writer)
    {
        writer.WriteLine("  stepwise hub login URL KEY");
        writer.WriteLine("  stepwise hub sync RUN_DIR [hub_url=URL] [api_key=KEY]");
    }

    public static void WriteDetails(TextWriter writer)
    {
        writer.WriteLine("login checks the key against the server (GET /api/v1/me) and stores hub_url and api_key in the");
        writer.WriteLine("settings file; training then streams to that Hub (setting hub, on by default; hub=false for one run).");
        writer.WriteLine("sync sends what a run left in its spool (RUN_DIR/hub-spool) after an outage or a killed process;");
        writer.WriteLine("the server ignores what it already has.");
    }

    /// <summary><c>stepwise hub login URL KEY</c>.</summary>
    public static async Task<int> LoginAsync(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 3)
        {
            throw new CliUsageException("Usage: stepwise hub login URL KEY (e.g. stepwise hub login http://127.0.0.1:8484 swk_…).");
        }

        string url = args.Positionals[1];
        string key = args.Positionals[2].Trim();
        string normalized;
        try
        {
            normalized = (string)SettingsSchema.Parse(SettingsSchema.Get("hub_url"), url, "login URL");
        }
        catch (SettingsException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        try
        {
            var me = await HubIdentity.CheckKeyAsync(new Uri(normalized), key, timeProvider: context.Time, cancellationToken: context.Cancellation).ConfigureAwait(false);
            context.Settings.Set([new("hub_url", normalized), new("api_key", key)]);
            string project = me.Project is null ? "all projects" : $"project '{me.Project}'";
            context.Out.WriteLine($"Logged in to {normalized} with key '{me.Name}' ({me.Scope.ToString().ToLowerInvariant()}, {project}).");
            context.Out.WriteLine($"Saved hub_url and api_key in {context.Settings.Path}; training runs now stream to this Hub.");
            return 0;
        }
        catch (HubRequestException ex)
        {
            context.Error.WriteLine(ex.IsAuthFailure
                ? $"stepwise hub login: {normalized} refused the key: {ex.Message}"
                : $"stepwise hub login: {ex.Message}");
            context.Error.WriteLine("Nothing was saved.");
            return 1;
        }
    }

    /// <summary><c>stepwise hub sync RUN_DIR</c>.</summary>
    public static async Task<int> SyncAsync(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 2)
        {
            throw new CliUsageException("Usage: stepwise hub sync RUN_DIR (a run directory holding hub-spool/).");
        }

        string runDir = Path.GetFullPath(args.Positionals[1]);
        string spool = Path.Combine(runDir, "hub-spool");
        if (!File.Exists(Path.Combine(spool, "journal.jsonl")))
        {
            context.Error.WriteLine($"stepwise hub sync: {runDir} has no Hub spool (hub-spool/journal.jsonl); nothing to send.");
            return 1;
        }

        var settings = StepwiseSettings.Resolve(context.Settings, args.Options);
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            context.Error.WriteLine("stepwise hub sync: no API key: run 'stepwise hub login URL KEY' or pass api_key=KEY.");
            return 1;
        }

        var session = HubSession.Start(new HubSessionOptions
        {
            ServerUrl = new Uri(settings.HubUrl),
            ApiKey = settings.ApiKey,
            SpoolDirectory = spool,
            RunName = Path.GetFileName(runDir),
            TimeProvider = context.Time,
        });
        await using (session.ConfigureAwait(false))
        {
            int pending = session.PendingCount;
            var result = await session.FinishAsync(new HubFinish(null), cancellationToken: context.Cancellation).ConfigureAwait(false);
            if (!result.Delivered)
            {
                context.Error.WriteLine($"stepwise hub sync: {result.PendingInSpool} of {pending} item(s) could not be sent to {settings.HubUrl}; they stay in {spool}.");
                return 1;
            }

            context.Out.WriteLine($"Sent {pending} item(s) from {spool} to {settings.HubUrl} (run {result.RunId}).");
            return 0;
        }
    }
}
