using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Api;
using Stepwise.Hub.Server.Auth;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server;

/// <summary>
/// Key management straight on a Hub's storage (the <c>stepwise hub keys</c> command): works whether
/// or not a server is running on it. A server caches verified keys for
/// <see cref="HubServerOptions.KeyCacheTime"/>, so a revocation made here takes effect there within that time.
/// </summary>
public static class HubAdmin
{
    /// <summary>Creates a key.</summary>
    /// <param name="options">Data dir, database and clock.</param>
    /// <param name="name">Display name.</param>
    /// <param name="scope">Scope.</param>
    /// <param name="project">Project for read and write keys (created when absent).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The key with its secret, and the admin key if this call created the storage.</returns>
    /// <exception cref="ArgumentException">A field is invalid; the message names it.</exception>
    public static async Task<(CreatedApiKeyResponse Created, string? InitialAdminKey)> CreateKeyAsync(
        HubServerOptions options, string name, KeyScope scope, string? project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var initial = await HubServerHost.PrepareStorageAsync(options, cancellationToken).ConfigureAwait(false);
        var database = HubDatabase.Create(options.Database, Path.GetFullPath(options.DataDir));
        await using (database.ConfigureAwait(false))
        {
            try
            {
                var created = await HubKeys.CreateAsync(new HubStore(database), options.TimeProvider, name, scope, project, cancellationToken).ConfigureAwait(false);
                return (created, initial);
            }
            catch (HubApiException ex)
            {
                throw new ArgumentException(ex.Message, ex.Field, ex);
            }
        }
    }

    /// <summary>Lists every key (never secrets).</summary>
    /// <param name="options">Data dir, database and clock.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The keys, and the admin key if this call created the storage.</returns>
    public static async Task<(IReadOnlyList<ApiKeyDto> Keys, string? InitialAdminKey)> ListKeysAsync(HubServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var initial = await HubServerHost.PrepareStorageAsync(options, cancellationToken).ConfigureAwait(false);
        var database = HubDatabase.Create(options.Database, Path.GetFullPath(options.DataDir));
        await using (database.ConfigureAwait(false))
        {
            return (await HubKeys.ListAsync(new HubStore(database), cancellationToken).ConfigureAwait(false), initial);
        }
    }

    /// <summary>Revokes a key.</summary>
    /// <param name="options">Data dir, database and clock.</param>
    /// <param name="keyId">The key id (12 hex characters).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>False when no such key exists.</returns>
    public static async Task<bool> RevokeKeyAsync(HubServerOptions options, string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        await HubServerHost.PrepareStorageAsync(options, cancellationToken).ConfigureAwait(false);
        var database = HubDatabase.Create(options.Database, Path.GetFullPath(options.DataDir));
        await using (database.ConfigureAwait(false))
        {
            return await new HubStore(database).RevokeKeyAsync(keyId, options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
    }
}
