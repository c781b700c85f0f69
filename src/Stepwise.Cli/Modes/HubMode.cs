using System.Globalization;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise hub</c>: run the Hub server and manage its API keys.</summary>
internal sealed class HubMode : ICliMode
{
    public string Name => "hub";

    public string Summary => "Run the Stepwise Hub tracking server (serve) and manage its API keys (keys).";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage:");
        writer.WriteLine("  stepwise hub serve [urls=http://127.0.0.1:8484] [data_dir=DIR] [db=CONNSTR] [options]");
        writer.WriteLine("  stepwise hub keys create name=NAME scope=read|write|admin [project=P] [data_dir=DIR] [db=CONNSTR]");
        writer.WriteLine("  stepwise hub keys list [data_dir=DIR] [db=CONNSTR]");
        writer.WriteLine("  stepwise hub keys revoke ID [data_dir=DIR] [db=CONNSTR]");
        HubImportCommand.WriteUsage(writer);
        HubClientCommands.WriteUsage(writer);
        writer.WriteLine();
        writer.WriteLine("serve starts the REST API (/api/v1), the web UI (/) and the OpenAPI document (/openapi/v1.json).");
        writer.WriteLine("On first start it creates the database and the blob folder under the data dir and prints an");
        writer.WriteLine("admin API key once. Stop it with Ctrl+C: in-flight requests finish first.");
        writer.WriteLine();
        writer.WriteLine("serve options:");
        writer.WriteLine($"  urls                 listen addresses, ';'-separated (default {HubServerOptions.DefaultUrls}, loopback only)");
        writer.WriteLine("  port                 shorthand for urls=http://127.0.0.1:PORT");
        writer.WriteLine($"  data_dir             database and blobs (default {HubServerOptions.DefaultDataDir()})");
        writer.WriteLine("  db                   PostgreSQL connection string (Host=...;Database=...;Username=... or postgresql://...)");
        writer.WriteLine("                       or an SQLite file; default: SQLite file hub.db in data_dir");
        writer.WriteLine("  stall_after          seconds without heartbeat or metrics before a running run shows as stalled (default 120)");
        writer.WriteLine("  max_upload_mb        largest checkpoint upload (default 2048)");
        writer.WriteLine("  max_body_kb          largest JSON request body (default 1024)");
        writer.WriteLine("  rate_limit           requests per second per API key (default 100; burst is twice that)");
        writer.WriteLine("  log_format           text or json (default text)");
        writer.WriteLine("  log_level            information, warning or error (default information)");
        writer.WriteLine();
        writer.WriteLine("keys work directly on the storage (server running or not); they use the same data_dir/db as serve.");
        writer.WriteLine();
        HubImportCommand.WriteDetails(writer);
        writer.WriteLine();
        HubClientCommands.WriteDetails(writer);
        writer.WriteLine();
        writer.WriteLine("Examples:");
        writer.WriteLine("  stepwise hub serve");
        writer.WriteLine("  stepwise hub serve --urls http://0.0.0.0:8484 --data-dir /srv/hub");
        writer.WriteLine("  stepwise hub serve db=\"Host=db;Database=hub;Username=hub;Password=secret\"");
        writer.WriteLine("  stepwise hub keys create name=ci scope=write project=shapes");
    }

    public async Task<int> RunAsync(CliArguments args, CliContext context)
    {
        var command = args.Positionals.Count > 0 ? args.Positionals[0] : null;
        switch (command)
        {
            case "serve":
                return await ServeAsync(args, context).ConfigureAwait(false);
            case "keys":
                return await KeysAsync(args, context).ConfigureAwait(false);
            case "import":
                return await HubImportCommand.RunAsync(args, context).ConfigureAwait(false);
            case "login":
                return await HubClientCommands.LoginAsync(args, context).ConfigureAwait(false);
            case "sync":
                return await HubClientCommands.SyncAsync(args, context).ConfigureAwait(false);
            case null:
                throw new CliUsageException("Missing command: serve or keys (or import, login, sync).");
            default:
                throw new CliUsageException($"Unknown command '{command}': use serve or keys (or import, login, sync).");
        }
    }

    private static HubServerOptions StorageOptions(CliArguments args, CliContext context)
    {
        var options = new HubServerOptions { TimeProvider = context.Time };
        if (args.Get("data_dir") is { Length: > 0 } dataDir)
        {
            options.DataDir = dataDir;
        }

        if (args.Get("db") is { Length: > 0 } db)
        {
            options.Database = db;
        }

        return options;
    }

    private static async Task<int> ServeAsync(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 1)
        {
            throw new CliUsageException($"Unexpected '{args.Positionals[1]}' after serve.");
        }

        args.RejectUnknown(["urls", "port", "data_dir", "db", "stall_after", "max_upload_mb", "max_body_kb", "rate_limit", "log_format", "log_level"]);
        var options = StorageOptions(args, context);
        var urls = args.Get("urls");
        var port = args.GetInt("port", 0);
        if (urls is not null && port != 0)
        {
            throw new CliUsageException("Give either urls or port, not both.");
        }

        if (port is < 0 or > 65535)
        {
            throw new CliUsageException($"Argument 'port' must be from 1 to 65535, got {port}.");
        }

        options.Urls = urls ?? (port != 0 ? $"http://127.0.0.1:{port}" : HubServerOptions.DefaultUrls);
        options.StallAfter = TimeSpan.FromSeconds(Positive(args.GetDouble("stall_after", 120), "stall_after"));
        options.MaxUploadBytes = (long)(Positive(args.GetDouble("max_upload_mb", 2048), "max_upload_mb") * 1024 * 1024);
        options.MaxJsonBodyBytes = (long)(Positive(args.GetDouble("max_body_kb", 1024), "max_body_kb") * 1024);
        var rate = args.GetInt("rate_limit", 100);
        if (rate < 1)
        {
            throw new CliUsageException($"Argument 'rate_limit' must be 1 or more, got {rate}.");
        }

        options.RateLimitPerSecond = rate;
        options.RateLimitBurst = rate * 2;
        options.JsonLogs = (args.Get("log_format") ?? "text") switch
        {
            "text" => false,
            "json" => true,
            var other => throw new CliUsageException($"Argument 'log_format' must be text or json, got '{other}'."),
        };
        options.MinimumLogLevel = (args.Get("log_level") ?? "information") switch
        {
            "information" or "info" => Microsoft.Extensions.Logging.LogLevel.Information,
            "warning" or "warn" => Microsoft.Extensions.Logging.LogLevel.Warning,
            "error" => Microsoft.Extensions.Logging.LogLevel.Error,
            var other => throw new CliUsageException($"Argument 'log_level' must be information, warning or error, got '{other}'."),
        };

        var host = await HubServerHost.StartAsync(options, context.Cancellation).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            if (host.InitialAdminKey is { } key)
            {
                await context.Out.WriteLineAsync("First start: created the admin API key (shown only this once, store it now):").ConfigureAwait(false);
                await context.Out.WriteLineAsync($"  {key}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"Stepwise Hub on {string.Join(", ", host.Addresses)} (Ctrl+C to stop)").ConfigureAwait(false);
            await context.Out.FlushAsync(context.Cancellation).ConfigureAwait(false);
            try
            {
                await host.WaitForShutdownAsync(context.Cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the host stops gracefully below.
            }
        }

        await context.Out.WriteLineAsync("Stepwise Hub stopped.").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> KeysAsync(CliArguments args, CliContext context)
    {
        var action = args.Positionals.Count > 1 ? args.Positionals[1] : null;
        switch (action)
        {
            case "create":
            {
                args.RejectUnknown(["name", "scope", "project", "data_dir", "db"]);
                var scope = (args.Get("scope") ?? "write") switch
                {
                    "read" => KeyScope.Read,
                    "write" => KeyScope.Write,
                    "admin" => KeyScope.Admin,
                    var other => throw new CliUsageException($"Argument 'scope' must be read, write or admin, got '{other}'."),
                };
                var name = args.Get("name") ?? throw new CliUsageException("Argument 'name' is required.");
                (CreatedApiKeyResponse Created, string? Initial) result;
                try
                {
                    result = await HubAdmin.CreateKeyAsync(StorageOptions(args, context), name, scope, args.Get("project"), context.Cancellation).ConfigureAwait(false);
                }
                catch (ArgumentException ex)
                {
                    throw new CliUsageException(ex.Message);
                }

                await WriteInitialAsync(result.Initial, context).ConfigureAwait(false);
                var key = result.Created.Key;
                await context.Out.WriteLineAsync($"Created {Scope(key.Scope)} key '{key.Name}' (id {key.Id}){(key.Project is null ? string.Empty : $" for project '{key.Project}'")}. Secret (shown only this once):").ConfigureAwait(false);
                await context.Out.WriteLineAsync($"  {result.Created.Secret}").ConfigureAwait(false);
                return 0;
            }

            case "list":
            {
                args.RejectUnknown(["data_dir", "db"]);
                var (keys, initial) = await HubAdmin.ListKeysAsync(StorageOptions(args, context), context.Cancellation).ConfigureAwait(false);
                await WriteInitialAsync(initial, context).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"{"id",-14}{"scope",-7}{"project",-20}{"created (UTC)",-18}{"revoked (UTC)",-18}name").ConfigureAwait(false);
                foreach (var key in keys)
                {
                    await context.Out.WriteLineAsync(
                        $"{key.Id,-14}{Scope(key.Scope),-7}{key.Project ?? "-",-20}{Time(key.CreatedAt),-18}{(key.RevokedAt is { } r ? Time(r) : "-"),-18}{key.Name}").ConfigureAwait(false);
                }

                return 0;
            }

            case "revoke":
            {
                args.RejectUnknown(["data_dir", "db"]);
                var id = args.Positionals.Count > 2 ? args.Positionals[2] : throw new CliUsageException("Give the key id to revoke: stepwise hub keys revoke ID.");
                if (!await HubAdmin.RevokeKeyAsync(StorageOptions(args, context), id, context.Cancellation).ConfigureAwait(false))
                {
                    await context.Error.WriteLineAsync($"stepwise hub: no key with id '{id}'.").ConfigureAwait(false);
                    return 1;
                }

                await context.Out.WriteLineAsync($"Revoked key {id}.").ConfigureAwait(false);
                return 0;
            }

            default:
                throw new CliUsageException(action is null ? "Missing keys action: create, list or revoke." : $"Unknown keys action '{action}': use create, list or revoke.");
        }
    }

    private static async Task WriteInitialAsync(string? key, CliContext context)
    {
        if (key is not null)
        {
            await context.Out.WriteLineAsync("New hub storage: created the admin API key (shown only this once):").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"  {key}").ConfigureAwait(false);
        }
    }

    private static string Scope(KeyScope scope) => scope.ToString().ToLowerInvariant();

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static double Positive(double value, string key) =>
        value > 0 ? value : throw new CliUsageException($"Argument '{key}' must be more than 0, got {value.ToString(CultureInfo.InvariantCulture)}.");
}
