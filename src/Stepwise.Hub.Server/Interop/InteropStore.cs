using System.Data.Common;
using Dapper;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Interop;

/// <summary>
/// Queries the interop endpoints need beyond <see cref="HubStore"/>: run images (blob references) and
/// small run updates. Same database, same portable SQL.
/// </summary>
internal sealed class InteropStore
{
    private readonly HubDatabase _database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The database.</param>
    public InteropStore(HubDatabase database) => _database = database;

    /// <summary>Records an image; a later image with the same (run, name, step) replaces the earlier one.</summary>
    /// <param name="row">The image.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public Task UpsertImageAsync(RunImageRow row, CancellationToken cancellationToken) =>
        WithConnection(c => c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO run_images (run_id, name, step, sha256, size, created_at) VALUES (@RunId, @Name, @Step, @Sha256, @Size, @CreatedAt) "
            + "ON CONFLICT (run_id, name, step) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, created_at = excluded.created_at",
            row,
            cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Lists a run's images by name, then step.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The images.</returns>
    public Task<IReadOnlyList<RunImageRow>> ListImagesAsync(string runId, CancellationToken cancellationToken) =>
        WithConnection<IReadOnlyList<RunImageRow>>(async c => [.. await c.QueryAsync<RunImageRow>(new CommandDefinition(
            "SELECT run_id, name, step, sha256, size, created_at FROM run_images WHERE run_id = @runId ORDER BY name, step",
            new { runId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)], cancellationToken);

    /// <summary>Replaces a run's arguments (a JSON object text).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="args">The JSON text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public Task SetArgsAsync(string runId, string args, CancellationToken cancellationToken) =>
        WithConnection(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET args = @args WHERE id = @runId", new { runId, args }, cancellationToken: cancellationToken)), cancellationToken);

    private async Task<T> WithConnection<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection).ConfigureAwait(false);
        }
    }
}
