using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Stepwise.Hub.Server.Storage;

/// <summary>
/// Applies the versioned SQL scripts embedded in the server (<c>Migrations/NNNN_name.sql</c>, with an
/// optional <c>NNNN_name.postgres.sql</c> or <c>.sqlite.sql</c> variant) once each, recording them in
/// <c>schema_migrations</c>. Safe when several instances start at once: SQLite takes the write lock,
/// PostgreSQL an advisory lock.
/// </summary>
internal static partial class Migrator
{
    private const long AdvisoryLockId = 0x5374_6570_4875_62; // "StepHub"

    /// <summary>One embedded script.</summary>
    /// <param name="Version">The number before the first underscore.</param>
    /// <param name="Name">The script name.</param>
    /// <param name="Sql">The SQL text for the dialect.</param>
    internal sealed record Script(long Version, string Name, string Sql);

    /// <summary>The scripts for a dialect, ascending by version.</summary>
    /// <param name="dialect">The engine.</param>
    /// <returns>The scripts.</returns>
    public static IReadOnlyList<Script> Scripts(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var suffix = dialect == SqlDialect.Postgres ? ".postgres.sql" : ".sqlite.sql";
        var byVersion = new SortedDictionary<long, Script>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal)))
        {
            var file = resource["Migrations/".Length..];
            var match = ScriptName().Match(file);
            if (!match.Success)
            {
                continue;
            }

            var variant = match.Groups["variant"].Value;
            if (variant.Length > 0 && !file.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            var version = long.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            if (variant.Length == 0 && byVersion.ContainsKey(version))
            {
                continue;
            }

            byVersion[version] = new Script(version, match.Groups["name"].Value, Read(assembly, resource));
        }

        return [.. byVersion.Values];
    }

    /// <summary>Applies every script not yet recorded, then runs <paramref name="afterMigrations"/> under the same lock.</summary>
    /// <param name="database">The database.</param>
    /// <param name="now">The clock reading recorded with each script.</param>
    /// <param name="afterMigrations">Work that must not race with another instance (first-start bootstrap).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The versions applied by this call.</returns>
    public static async Task<IReadOnlyList<long>> MigrateAsync(
        HubDatabase database,
        DateTimeOffset now,
        Func<DbConnection, DbTransaction, Task>? afterMigrations,
        CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (database.Dialect == SqlDialect.Postgres)
                {
                    await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@id)", new { id = AdvisoryLockId }, transaction).ConfigureAwait(false);
                }

                await connection.ExecuteAsync(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                    transaction: transaction).ConfigureAwait(false);
                var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: transaction).ConfigureAwait(false)).ToHashSet();
                var done = new List<long>();
                foreach (var script in Scripts(database.Dialect))
                {
                    if (applied.Contains(script.Version))
                    {
                        continue;
                    }

                    await connection.ExecuteAsync(script.Sql, transaction: transaction).ConfigureAwait(false);
                    await connection.ExecuteAsync(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                        new { script.Version, script.Name, At = now.ToUnixTimeMilliseconds() },
                        transaction).ConfigureAwait(false);
                    done.Add(script.Version);
                }

                if (afterMigrations is not null)
                {
                    await afterMigrations(connection, transaction).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return done;
            }
        }
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+?)(?<variant>\.(postgres|sqlite))?\.sql$")]
    private static partial Regex ScriptName();
}
