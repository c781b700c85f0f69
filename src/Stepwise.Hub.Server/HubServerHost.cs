using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Api;
using Stepwise.Hub.Server.Auth;
using Stepwise.Hub.Server.Hosting;
using Stepwise.Hub.Server.Interop;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server;

/// <summary>
/// A running Hub server: REST API, web UI and storage in one process. Start it with
/// <see cref="StartAsync"/>; dispose or <see cref="StopAsync"/> it to shut down gracefully (in-flight
/// requests finish, queued metrics are written).
/// </summary>
public sealed partial class HubServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HubDatabase _database;

    private HubServerHost(WebApplication app, HubDatabase database, IReadOnlyList<Uri> addresses, string? initialAdminKey)
    {
        _app = app;
        _database = database;
        Addresses = addresses;
        InitialAdminKey = initialAdminKey;
    }

    /// <summary>The addresses the server listens on (actual ports when port 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first listen address.</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>The admin key created on first start (null when the database already had keys).</summary>
    public string? InitialAdminKey { get; }

    /// <summary>The database engine in use.</summary>
    public SqlDialect Dialect => _database.Dialect;

    /// <summary>Prepares storage (creates, migrates, bootstraps the admin key) and starts listening.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running server.</returns>
    public static async Task<HubServerHost> StartAsync(HubServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        var database = HubDatabase.Create(options.Database, dataDir);
        try
        {
            var initialKey = await PrepareAsync(database, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var app = Build(options, database, dataDir);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a.Replace("[::]", "localhost", StringComparison.Ordinal)))
                .ToList();
            var logger = app.Services.GetRequiredService<ILogger<HubServerHost>>();
            LogStarted(logger, string.Join(", ", addresses), database.Description, Path.Combine(dataDir, "blobs"));
            return new HubServerHost(app, database, addresses, initialKey);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the database schema (and the first admin key) without starting a server.</summary>
    /// <param name="options">The settings (data dir, database, clock).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The admin key created on first start, or null.</returns>
    public static async Task<string?> PrepareStorageAsync(HubServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDir);
        var database = HubDatabase.Create(options.Database, Path.GetFullPath(options.DataDir));
        await using (database.ConfigureAwait(false))
        {
            return await PrepareAsync(database, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the server stops (Ctrl+C, SIGTERM, <see cref="StopAsync"/>).</summary>
    /// <param name="cancellationToken">Stops the server when cancelled.</param>
    /// <returns>A task.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops gracefully.</summary>
    /// <param name="cancellationToken">Makes the stop less graceful.</param>
    /// <returns>A task.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<string?> PrepareAsync(HubDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        string? initialKey = null;
        await Migrator.MigrateAsync(
            database,
            time.GetUtcNow(),
            async (connection, transaction) =>
            {
                if (await HubStore.CountKeysAsync(connection, transaction).ConfigureAwait(false) == 0)
                {
                    var row = HubKeys.NewRow(time, "admin", KeyScope.Admin, null, out var secret);
                    await HubStore.InsertKeyAsync(connection, transaction, row).ConfigureAwait(false);
                    initialKey = secret;
                }
            },
            cancellationToken).ConfigureAwait(false);
        return initialKey;
    }

    private static WebApplication Build(HubServerOptions options, HubDatabase database, string dataDir)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HubServerHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });

        // Everything is configured through HubServerOptions: no appsettings files, so no file watcher
        // (one on the data dir would wake up on every database write).
        foreach (var source in builder.Configuration.Sources.OfType<Microsoft.Extensions.Configuration.FileConfigurationSource>().ToList())
        {
            builder.Configuration.Sources.Remove(source);
        }
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Endpoints enforce their own limits (JSON bodies, uploads) and answer 413 as problem details.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.TimeProvider);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<HubStore>();
        builder.Services.AddSingleton(new BlobStore(Path.Combine(dataDir, "blobs")));
        builder.Services.AddSingleton<MetricWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricWriter>());
        builder.Services.AddSingleton(sp => new KeyAuthenticator(sp.GetRequiredService<HubStore>(), options.TimeProvider, options.KeyCacheTime));
        builder.Services.AddSingleton<RunStateCache>();
        builder.Services.AddSingleton<HubServices>();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Stepwise Hub API";
            document.Info.Version = "v1";
            return Task.CompletedTask;
        }));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Items[HubRequest.PrincipalItem] is HubPrincipal principal
                    ? RateLimitPartition.GetTokenBucketLimiter(principal.KeyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.RateLimitBurst,
                        TokensPerPeriod = options.RateLimitPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(
                    rejected.HttpContext,
                    StatusCodes.Status429TooManyRequests,
                    "rate-limited",
                    "Too many requests",
                    $"This API key sent more than {options.RateLimitPerSecond} requests per second (burst {options.RateLimitBurst}); retry after {seconds} s.").ConfigureAwait(false);
            };
        });

        var app = builder.Build();
        app.UseMiddleware<HubMiddleware>();
        app.UseRateLimiter();
        app.MapGet(HubRoutes.Health, () => Results.Text("ok")).ExcludeFromDescription();
        app.MapGet(HubRoutes.Ready, async (HubStore store, HttpContext context) =>
            await store.PingAsync(context.RequestAborted).ConfigureAwait(false)
                ? Results.Text("ok")
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unreachable", type: Problems.TypeBase + "unavailable"))
            .ExcludeFromDescription();
        app.MapOpenApi();
        WebUiEndpoints.Map(app);
        var api = app.MapGroup(HubRoutes.Prefix);
        ProjectEndpoints.Map(api);
        RunEndpoints.Map(api);
        MetricEndpoints.Map(api);
        ParamEndpoints.Map(api);
        CheckpointEndpoints.Map(api);
        EventEndpoints.Map(api);
        KeyEndpoints.Map(api);
        StudioLiveEndpoints.Map(app);
        RunImageEndpoints.Map(app);
        UltralyticsHubEndpoints.Map(app);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stepwise Hub listening on {Addresses}; database {Database}; blobs in {Blobs}")]
    private static partial void LogStarted(ILogger logger, string addresses, string database, string blobs);
}
