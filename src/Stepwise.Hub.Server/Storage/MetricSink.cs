using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Stepwise.Hub.Server.Storage;

/// <summary>
/// Writes groups of metric rows, one transaction per group. On SQLite it keeps one connection and its
/// prepared statements across groups (compiling statements would otherwise cost more than the
/// inserts); on PostgreSQL each group is one <c>unnest</c> insert on a pooled connection.
/// </summary>
internal sealed class MetricSink : IAsyncDisposable
{
    private const string InsertSql = "INSERT INTO metrics (run_id, name, step, epoch, value) VALUES (@r, @n, @s, @e, @v) ON CONFLICT (run_id, name, step) DO NOTHING";
    private const string TouchSql = "UPDATE runs SET last_seen_at = @now WHERE id = @id AND last_seen_at < @now";

    private readonly HubDatabase _database;
    private DbConnection? _connection;
    private DbCommand? _insert;
    private DbCommand? _touch;

    /// <summary>Creates the sink (connections open lazily).</summary>
    /// <param name="database">The database.</param>
    public MetricSink(HubDatabase database) => _database = database;

    /// <summary>Stores rows and moves the runs' last-seen time, atomically.</summary>
    /// <param name="rows">The values; a (run, name, step) already stored is kept.</param>
    /// <param name="runs">Runs that were heard from.</param>
    /// <param name="now">Unix ms.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async Task WriteAsync(IReadOnlyList<MetricRow> rows, IReadOnlyCollection<string> runs, long now, CancellationToken cancellationToken)
    {
        if (_database.Dialect == SqlDialect.Postgres)
        {
            await WritePostgresAsync(rows, runs, now, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await WriteSqliteAsync(rows, runs, now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Start the next group on a fresh connection.
            await ResetAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ResetAsync().ConfigureAwait(false);

    private async Task WriteSqliteAsync(IReadOnlyList<MetricRow> rows, IReadOnlyCollection<string> runs, long now, CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            _connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            _insert = Command(_connection, InsertSql, "@r", "@n", "@s", "@e", "@v");
            _touch = Command(_connection, TouchSql, "@now", "@id");
        }

        var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            _insert!.Transaction = transaction;
            _touch!.Transaction = transaction;
            foreach (var row in rows)
            {
                _insert.Parameters[0].Value = row.RunId;
                _insert.Parameters[1].Value = row.Name;
                _insert.Parameters[2].Value = row.Step;
                _insert.Parameters[3].Value = row.Epoch is { } epoch ? epoch : DBNull.Value;
                _insert.Parameters[4].Value = row.Value;
                _insert.ExecuteNonQuery();
            }

            foreach (var id in runs)
            {
                _touch.Parameters[0].Value = now;
                _touch.Parameters[1].Value = id;
                _touch.ExecuteNonQuery();
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WritePostgresAsync(IReadOnlyList<MetricRow> rows, IReadOnlyCollection<string> runs, long now, CancellationToken cancellationToken)
    {
        var runIds = new string[rows.Count];
        var names = new string[rows.Count];
        var steps = new long[rows.Count];
        var epochs = new long?[rows.Count];
        var values = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            (runIds[i], names[i], steps[i], epochs[i], values[i]) = rows[i];
        }

        var connection = (NpgsqlConnection)await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var insert = new NpgsqlCommand(
                    "INSERT INTO metrics (run_id, name, step, epoch, value) SELECT * FROM unnest(@r, @n, @s, @e, @v) ON CONFLICT (run_id, name, step) DO NOTHING",
                    connection,
                    transaction))
                {
                    insert.Parameters.Add(new NpgsqlParameter("r", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = runIds });
                    insert.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = names });
                    insert.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = steps });
                    insert.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = epochs });
                    insert.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = values });
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var touch = new NpgsqlCommand("UPDATE runs SET last_seen_at = @now WHERE id = ANY(@ids) AND last_seen_at < @now", connection, transaction))
                {
                    touch.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.Bigint) { Value = now });
                    touch.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = runs.ToArray() });
                    await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private async Task ResetAsync()
    {
        _insert?.Dispose();
        _touch?.Dispose();
        _insert = null;
        _touch = null;
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }
}
