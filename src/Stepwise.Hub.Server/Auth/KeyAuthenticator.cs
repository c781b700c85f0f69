using System.Collections.Concurrent;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Auth;

/// <summary>
/// Resolves an <c>x-api-key</c> value to a <see cref="HubPrincipal"/>. Verified keys are cached for a
/// short time so each request does not hit the database; revoking through this server drops the entry
/// at once, revocation elsewhere (another instance, the CLI) takes effect within the cache time.
/// </summary>
internal sealed class KeyAuthenticator
{
    private readonly HubStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheTime;
    private readonly ConcurrentDictionary<string, (string Hash, HubPrincipal Principal, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the authenticator.</summary>
    /// <param name="store">The store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cacheTime">How long a verified key is trusted without a database read.</param>
    public KeyAuthenticator(HubStore store, TimeProvider time, TimeSpan cacheTime)
    {
        _store = store;
        _time = time;
        _cacheTime = cacheTime;
    }

    /// <summary>Verifies a key.</summary>
    /// <param name="key">The header value.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The principal, or null when the key is unknown, malformed, wrong or revoked.</returns>
    public async Task<HubPrincipal?> AuthenticateAsync(string? key, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryParseId(key, out var id))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(id, out var cached) && cached.Until > now)
        {
            return ApiKeySecret.Matches(key!, cached.Hash) ? cached.Principal : null;
        }

        var row = await _store.GetKeyAsync(id, cancellationToken).ConfigureAwait(false);
        if (row is null || row.RevokedAt is not null)
        {
            _cache.TryRemove(id, out _);
            return null;
        }

        var principal = new HubPrincipal(row.Id, row.Name, KeyScopes.Parse(row.Scope), row.Project);
        _cache[id] = (row.Hash, principal, now + _cacheTime);
        return ApiKeySecret.Matches(key!, row.Hash) ? principal : null;
    }

    /// <summary>Forgets a cached key (after revocation).</summary>
    /// <param name="id">The key id.</param>
    public void Forget(string id) => _cache.TryRemove(id, out _);
}
