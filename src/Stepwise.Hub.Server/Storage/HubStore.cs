using System.Data.Common;
using Dapper;

namespace Stepwise.Hub.Server.Storage;

/// <summary>
/// The Hub's data-access layer: every query of the server, written once for SQLite and PostgreSQL
/// (portable SQL; only bulk metric inserts differ per engine).
/// </summary>
internal sealed class HubStore
{
    private const string RunColumns =
        "id, project, name, task, status, created_at, ended_at, last_seen_at, args, client, client_run_id, stop_requested, primary_metric, primary_mode, agent_id, host, stop_reason";

    static HubStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The database.</param>
    public HubStore(HubDatabase database) => Database = database;

    /// <summary>The database.</summary>
    public HubDatabase Database { get; }

    /// <summary>True when the database answers a trivial query.</summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>True when reachable.</returns>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    // ---- projects ----

    public Task<ProjectRow?> GetProjectAsync(string name, CancellationToken cancellationToken) =>
        WithConnection(c => c.QuerySingleOrDefaultAsync<ProjectRow>(new CommandDefinition(
            "SELECT p.name, p.description, p.created_at, (SELECT COUNT(*) FROM runs r WHERE r.project = p.name) AS run_count FROM projects p WHERE p.name = @name",
            new { name },
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<ProjectRow>> ListProjectsAsync(string? only, CancellationToken cancellationToken) =>
        WithConnection<IReadOnlyList<ProjectRow>>(async c => [.. await c.QueryAsync<ProjectRow>(new CommandDefinition(
            "SELECT p.name, p.description, p.created_at, (SELECT COUNT(*) FROM runs r WHERE r.project = p.name) AS run_count FROM projects p "
            + "WHERE @only IS NULL OR p.name = @only ORDER BY p.name",
            new { only },
            cancellationToken: cancellationToken)).ConfigureAwait(false)], cancellationToken);

    /// <summary>Creates a project.</summary>
    /// <returns>False when it already existed.</returns>
    public Task<bool> CreateProjectAsync(string name, string? description, long now, CancellationToken cancellationToken) =>
        WithConnection(async c => await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO projects (name, description, created_at) VALUES (@name, @description, @now) ON CONFLICT (name) DO NOTHING",
            new { name, description, now },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1, cancellationToken);

    // ---- keys ----

    public Task<KeyRow?> GetKeyAsync(string id, CancellationToken cancellationToken) =>
        WithConnection(c => c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            "SELECT id, name, scope, project, hash, created_at, revoked_at FROM api_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<KeyRow>> ListKeysAsync(CancellationToken cancellationToken) =>
        WithConnection<IReadOnlyList<KeyRow>>(async c => [.. await c.QueryAsync<KeyRow>(new CommandDefinition(
            "SELECT id, name, scope, project, hash, created_at, revoked_at FROM api_keys ORDER BY created_at, id", cancellationToken: cancellationToken)).ConfigureAwait(false)], cancellationToken);

    /// <summary>Stores a key, creating its project when needed.</summary>
    public Task InsertKeyAsync(KeyRow key, CancellationToken cancellationToken) =>
        WithConnection(async c =>
        {
            var transaction = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await InsertKeyAsync(c, transaction, key).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);

    /// <summary>Stores a key inside a transaction, creating its project when needed.</summary>
    public static async Task InsertKeyAsync(DbConnection connection, DbTransaction transaction, KeyRow key)
    {
        if (key.Project is not null)
        {
            await connection.ExecuteAsync(
                "INSERT INTO projects (name, description, created_at) VALUES (@Project, NULL, @CreatedAt) ON CONFLICT (name) DO NOTHING",
                new { key.Project, key.CreatedAt },
                transaction).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(
            "INSERT INTO api_keys (id, name, scope, project, hash, created_at, revoked_at) VALUES (@Id, @Name, @Scope, @Project, @Hash, @CreatedAt, NULL)",
            key,
            transaction).ConfigureAwait(false);
    }

    /// <summary>Counts keys (first-start detection).</summary>
    public static async Task<long> CountKeysAsync(DbConnection connection, DbTransaction transaction) =>
        await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys", transaction: transaction).ConfigureAwait(false);

    /// <summary>Revokes a key.</summary>
    /// <returns>False when no such key exists.</returns>
    public Task<bool> RevokeKeyAsync(string id, long now, CancellationToken cancellationToken) =>
        WithConnection(async c =>
        {
            var exists = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM api_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", new { id, now }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return exists == 1;
        }, cancellationToken);

    // ---- runs ----

    /// <summary>Creates a run (and its project), or returns the run with the same client run id.</summary>
    /// <returns>The stored run and whether this call created it.</returns>
    public Task<(RunRow Run, bool Created)> CreateRunAsync(RunRow run, CancellationToken cancellationToken) =>
        WithConnection(async c =>
        {
            if (run.ClientRunId is not null)
            {
                var existing = await FindByClientRunIdAsync(c, run.Project, run.ClientRunId, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    return (existing, false);
                }
            }

            var transaction = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await c.ExecuteAsync(
                    "INSERT INTO projects (name, description, created_at) VALUES (@Project, NULL, @CreatedAt) ON CONFLICT (name) DO NOTHING",
                    new { run.Project, run.CreatedAt },
                    transaction).ConfigureAwait(false);
                var inserted = await c.ExecuteAsync(
                    $"INSERT INTO runs ({RunColumns}) VALUES (@Id, @Project, @Name, @Task, @Status, @CreatedAt, @EndedAt, @LastSeenAt, @Args, @Client, @ClientRunId, @StopRequested, @PrimaryMetric, @PrimaryMode, @AgentId, @Host, @StopReason) "
                    + "ON CONFLICT (project, client_run_id) DO NOTHING",
                    run,
                    transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (inserted == 1)
                {
                    return (run, true);
                }
            }

            // Another request created the same client run id first.
            var winner = await FindByClientRunIdAsync(c, run.Project, run.ClientRunId!, cancellationToken).ConfigureAwait(false);
            return (winner!, false);
        }, cancellationToken);

    public Task<RunRow?> GetRunAsync(string id, CancellationToken cancellationToken) =>
        WithConnection(c => c.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM runs WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Lists runs newest first.</summary>
    public Task<(IReadOnlyList<RunRow> Items, long Total)> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken) =>
        WithConnection(async c =>
        {
            var where = "project = @Project"
                + (query.Status is null ? string.Empty : " AND status = @Status")
                + (query.Stalled switch { true => " AND last_seen_at < @StallCutoff", false => " AND last_seen_at >= @StallCutoff", null => string.Empty })
                + (query.NameContains is null ? string.Empty : " AND name LIKE @Like ESCAPE '\\'");
            var args = new
            {
                query.Project,
                query.Status,
                query.StallCutoff,
                Like = query.NameContains is null ? null : "%" + EscapeLike(query.NameContains) + "%",
                query.Limit,
                query.Offset,
            };
            var total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM runs WHERE {where}", args, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var items = await c.QueryAsync<RunRow>(new CommandDefinition(
                $"SELECT {RunColumns} FROM runs WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @Limit OFFSET @Offset", args, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return ((IReadOnlyList<RunRow>)[.. items], total);
        }, cancellationToken);

    /// <summary>Sets a run's stored status.</summary>
    public Task SetRunStatusAsync(string id, string status, long? endedAt, long now, CancellationToken cancellationToken) =>
        WithConnection(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET status = @status, ended_at = @endedAt, last_seen_at = @now WHERE id = @id",
            new { id, status, endedAt, now },
            cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Marks a stop request.</summary>
    public Task RequestStopAsync(string id, string? reason, CancellationToken cancellationToken) =>
        WithConnection(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET stop_requested = 1, stop_reason = COALESCE(@reason, stop_reason) WHERE id = @id", new { id, reason }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Records a heartbeat.</summary>
    public Task HeartbeatAsync(string id, string? agentId, string? host, long now, CancellationToken cancellationToken) =>
        WithConnection(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET last_seen_at = @now, agent_id = COALESCE(@agentId, agent_id), host = COALESCE(@host, host) WHERE id = @id",
            new { id, agentId, host, now },
            cancellationToken: cancellationToken)), cancellationToken);

    // ---- metrics ----

    /// <summary>Opens a writer for metric batches (kept by the group-commit loop).</summary>
    /// <returns>The sink.</returns>
    public MetricSink CreateMetricSink() => new(Database);

    /// <summary>Reads series, ascending by name then step.</summary>
    public Task<IReadOnlyList<SeriesRow>> GetSeriesAsync(string runId, string? name, CancellationToken cancellationToken) =>
        WithConnection<IReadOnlyList<SeriesRow>>(async c => [.. await c.QueryAsync<SeriesRow>(new CommandDefinition(
            "SELECT name, step, epoch, value FROM metrics WHERE run_id = @runId AND (@name IS NULL OR name = @name) ORDER BY name, step",
            new { runId, name },
            cancellationToken: cancellationToken)).ConfigureAwait(false)], cancellationToken);

    /// <summary>Aggregates every series of a run.</summary>
    public Task<IReadOnlyList<SummaryRow>> GetSummaryAsync(string runId, CancellationToken cancellationToken) =>
        WithConnection<IReadOnlyList<SummaryRow>>(async c => [.. await c.QueryAsync<SummaryRow>(new CommandDefinition(
            "SELECT m.name, COUNT(*) AS count, MAX(m.step) AS last_step, MIN(m.value) AS min, MAX(m.value) AS max, "
            + "(SELECT l.value FROM metrics l WHERE l.run_id = m.run_id AND l.name = m.name ORDER BY l.step DESC LIMIT 1) AS last "
            + "FROM metrics m WHERE m.run_id = @runId GROUP BY m.run_id, m.name ORDER BY m.name",
            new { runId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)], cancellationToken);

    /// <summary>The best value of one series.</summary>
    public Task<SeriesRow?> GetBestAsync(string runId, string name, bool larger, CancellationToken cancellationToken) =>
        WithConnection(c => c.QueryFirstOrDefaultAsync<SeriesRow>(new CommandDefinition(
            "SELECT name, step, epoch, value FROM metrics WHERE run_id = @runId AND name = @name ORDER BY value " + (larger ? "DESC" : "ASC") + ", step LIMIT 1",
            new { runId, name },
            cancellationToken: cancellationToken)), cancellationToken);

    // ---- params ----

    public Task<IReadOnlyList<(string Name, string Value)>> GetParamsAsync(string runId, CancellationToken cancellationToken) =>
        WithConnection<IReadOnlyList<(string Name, string Value)>>(async c => [.. await c.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT name, value FROM params WHERE run_id = @runId ORDER BY name", new { runId }, cancellationToken: cancellationToken)).ConfigureAwait(false)], cancellationToken);

    /// <summary>Upserts params in one transaction.</summary>
    public Task UpsertParamsAsync(string runId, IEnumerable<(string Name, string Value)> values, CancellationToken cancellationToken) =>
        WithConnection(async c =>
        {
            var transaction = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                foreach (var (name, value) in values)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO params (run_id, name, value) VALUES (@runId, @name, @value) ON CONFLICT (run_id, name) DO UPDATE SET value = excluded.value",
                        new { runId, name, value },
                        transaction,
                        cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);

    // ---- checkpoints ----

    public Task InsertCheckpointAsync(CheckpointRow row, CancellationToken cancellationToken) =>
        WithConnection(c => c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO checkpoints (id, run_id, kind, epoch, name, size, sha256, created_at, metric_name, metric_value) VALUES (@Id, @RunId, @Kind, @Epoch, @Name, @Size, @Sha256, @CreatedAt, @MetricName, @MetricValue)",
            row,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<CheckpointRow>> ListCheckpointsAsync(string runId, CancellationToken cancellationToken) =>
        WithConnection<IReadOnlyList<CheckpointRow>>(async c => [.. await c.QueryAsync<CheckpointRow>(new CommandDefinition(
            "SELECT id, run_id, kind, epoch, name, size, sha256, created_at, metric_name, metric_value FROM checkpoints WHERE run_id = @runId ORDER BY created_at DESC, id DESC",
            new { runId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)], cancellationToken);

    /// <summary>A checkpoint with the same run, kind, epoch and content (a replayed upload).</summary>
    public Task<CheckpointRow?> FindCheckpointAsync(string runId, string kind, long? epoch, string sha256, CancellationToken cancellationToken) =>
        WithConnection(c => c.QueryFirstOrDefaultAsync<CheckpointRow>(new CommandDefinition(
            "SELECT id, run_id, kind, epoch, name, size, sha256, created_at, metric_name, metric_value FROM checkpoints "
            + "WHERE run_id = @runId AND kind = @kind AND sha256 = @sha256 AND ((@epoch IS NULL AND epoch IS NULL) OR epoch = @epoch) ORDER BY created_at, id",
            new { runId, kind, epoch, sha256 },
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<CheckpointRow?> GetCheckpointAsync(string runId, string id, CancellationToken cancellationToken) =>
        WithConnection(c => c.QuerySingleOrDefaultAsync<CheckpointRow>(new CommandDefinition(
            "SELECT id, run_id, kind, epoch, name, size, sha256, created_at, metric_name, metric_value FROM checkpoints WHERE run_id = @runId AND id = @id",
            new { runId, id },
            cancellationToken: cancellationToken)), cancellationToken);

    // ---- events ----

    public Task InsertEventsAsync(IReadOnlyList<EventRow> rows, CancellationToken cancellationToken) =>
        WithConnection(async c =>
        {
            var transaction = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO events (id, key_id, name, occurred_at, received_at, properties) VALUES (@Id, @KeyId, @Name, @OccurredAt, @ReceivedAt, @Properties)",
                    rows,
                    transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken);

    public Task<long> CountEventsAsync(CancellationToken cancellationToken) =>
        WithConnection(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM events", cancellationToken: cancellationToken)), cancellationToken);

    // ---- helpers ----

    private static Task<RunRow?> FindByClientRunIdAsync(DbConnection connection, string project, string clientRunId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            $"SELECT {RunColumns} FROM runs WHERE project = @project AND client_run_id = @clientRunId",
            new { project, clientRunId },
            cancellationToken: cancellationToken));

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private async Task<T> WithConnection<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection).ConfigureAwait(false);
        }
    }

    private async Task WithConnection(Func<DbConnection, Task<int>> work, CancellationToken cancellationToken) =>
        await WithConnection<int>(work, cancellationToken).ConfigureAwait(false);
}
