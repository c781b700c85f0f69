using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Api;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Auth;

/// <summary>Key management shared by the REST API and the <c>stepwise hub keys</c> command.</summary>
internal static class HubKeys
{
    /// <summary>Creates a key.</summary>
    /// <param name="store">The store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="name">Display name.</param>
    /// <param name="scope">Scope.</param>
    /// <param name="project">Project for read and write keys.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The key and its secret.</returns>
    /// <exception cref="HubApiException">400 naming the invalid field.</exception>
    public static async Task<CreatedApiKeyResponse> CreateAsync(HubStore store, TimeProvider time, string? name, KeyScope scope, string? project, CancellationToken cancellationToken)
    {
        var row = NewRow(time, name, scope, project, out var secret);
        await store.InsertKeyAsync(row, cancellationToken).ConfigureAwait(false);
        return new CreatedApiKeyResponse(ToDto(row), secret);
    }

    /// <summary>Validates the fields and builds a new key row.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="name">Display name.</param>
    /// <param name="scope">Scope.</param>
    /// <param name="project">Project for read and write keys.</param>
    /// <param name="secret">The key text.</param>
    /// <returns>The row.</returns>
    /// <exception cref="HubApiException">400 naming the invalid field.</exception>
    public static KeyRow NewRow(TimeProvider time, string? name, KeyScope scope, string? project, out string secret)
    {
        HubRequest.CheckText("name", name, 100, required: true);
        if (!Enum.IsDefined(scope))
        {
            throw HubApiException.Invalid("scope", "must be read, write or admin");
        }

        if (scope == KeyScope.Admin && project is not null)
        {
            throw HubApiException.Invalid("project", "admin keys are not bound to a project");
        }

        if (scope != KeyScope.Admin && project is null)
        {
            throw HubApiException.Invalid("project", "read and write keys need a project");
        }

        if (project is not null && !HubRequest.IsProjectName(project))
        {
            throw HubApiException.Invalid("project", "a project name is 1–64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }

        var (id, key) = ApiKeySecret.Generate();
        secret = key;
        return new KeyRow
        {
            Id = id,
            Name = name!.Trim(),
            Scope = KeyScopes.ToText(scope),
            Project = project,
            Hash = ApiKeySecret.Hash(key),
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>Lists every key (never secrets).</summary>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys.</returns>
    public static async Task<IReadOnlyList<ApiKeyDto>> ListAsync(HubStore store, CancellationToken cancellationToken) =>
        [.. (await store.ListKeysAsync(cancellationToken).ConfigureAwait(false)).Select(ToDto)];

    /// <summary>A key's public form.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The description.</returns>
    public static ApiKeyDto ToDto(KeyRow row) => new(
        row.Id,
        row.Name,
        KeyScopes.Parse(row.Scope),
        row.Project,
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
        row.RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null);
}
