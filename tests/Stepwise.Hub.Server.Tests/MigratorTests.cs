using Dapper;
using Stepwise.Hub.Server.Storage;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class MigratorTests
{
    private static async Task<HubDatabase> DatabaseAsync(string backend)
    {
        var dir = TestHub.NewTempDir();
        return backend == TestHub.Postgres
            ? HubDatabase.Create(await PostgresServer.Instance.CreateDatabaseAsync(), dir)
            : HubDatabase.Create(null, dir);
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task An_empty_database_gets_every_script_once_and_a_rerun_applies_nothing(string backend)
    {
        await using var database = await DatabaseAsync(backend);
        var versions = Migrator.Scripts(database.Dialect).Select(s => s.Version).ToList();
        Assert.Equal([1L, 2], versions.Take(2));
        Assert.Equal(versions.Order(), versions);
        var now = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var applied = await Migrator.MigrateAsync(database, now, null, CancellationToken.None);
        Assert.Equal(versions, applied);
        Assert.Empty(await Migrator.MigrateAsync(database, now.AddHours(1), null, CancellationToken.None));

        await using var connection = await database.OpenAsync(CancellationToken.None);
        var recorded = (await connection.QueryAsync<(long, string, long)>("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(versions, recorded.Select(r => r.Item1));
        Assert.Equal([(1L, "initial", now.ToUnixTimeMilliseconds()), (2L, "stop_reason_and_checkpoint_metric", now.ToUnixTimeMilliseconds())], recorded.Take(2));
        Assert.All(recorded, r => Assert.Equal(now.ToUnixTimeMilliseconds(), r.Item3));
        foreach (var table in (string[])["projects", "api_keys", "runs", "metrics", "params", "checkpoints", "events"])
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM runs WHERE stop_reason IS NOT NULL"));
    }

    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task Concurrent_starts_apply_each_script_once_and_bootstrap_once(string backend)
    {
        await using var database = await DatabaseAsync(backend);
        var bootstraps = 0;
        var runs = Enumerable.Range(0, 4).Select(_ => Migrator.MigrateAsync(
            database,
            DateTimeOffset.UnixEpoch,
            async (connection, transaction) =>
            {
                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM projects", transaction: transaction) == 0)
                {
                    Interlocked.Increment(ref bootstraps);
                    await connection.ExecuteAsync("INSERT INTO projects (name, created_at) VALUES ('boot', 0)", transaction: transaction);
                }
            },
            CancellationToken.None)).ToList();
        var applied = await Task.WhenAll(runs);
        Assert.Equal(Migrator.Scripts(database.Dialect).Select(s => s.Version), applied.SelectMany(a => a).Order());
        Assert.Equal(1, bootstraps);
    }

    [Fact]
    public void The_scripts_are_the_same_for_both_engines()
    {
        Assert.Equal(
            Migrator.Scripts(SqlDialect.Sqlite).Select(s => s.Sql),
            Migrator.Scripts(SqlDialect.Postgres).Select(s => s.Sql));
    }
}
