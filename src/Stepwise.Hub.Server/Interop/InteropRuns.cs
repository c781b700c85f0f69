using System.Security.Cryptography;
using System.Text;
using Stepwise.Hub.Server.Api;

namespace Stepwise.Hub.Server.Interop;

/// <summary>Helpers shared by the interop endpoints: project choice, stable run keys, metric names.</summary>
internal static class InteropRuns
{
    /// <summary>
    /// The project an interop client writes to: the key's own project for project keys; for admin keys a
    /// slug of <paramref name="hint"/> (e.g. a repository name), else <paramref name="fallback"/>.
    /// </summary>
    /// <param name="context">The authenticated request.</param>
    /// <param name="hint">Text to derive a project name from, or null.</param>
    /// <param name="fallback">The project when no usable hint is given.</param>
    /// <returns>The project, checked for write access.</returns>
    /// <exception cref="HubApiException">403 when the key may not write there.</exception>
    public static string ProjectFor(HttpContext context, string? hint, string fallback)
    {
        var principal = HubRequest.Principal(context);
        var project = principal.Project ?? Slug(hint) ?? fallback;
        HubRequest.RequireProject(context, project, write: true);
        return project;
    }

    /// <summary>A project slug from free text, or null when nothing usable remains.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The slug.</returns>
    public static string? Slug(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }

        var slug = builder.ToString().TrimStart('.', '_', '-');
        slug = slug.Length > 64 ? slug[..64] : slug;
        slug = slug.TrimEnd('.', '_', '-');
        return HubRequest.IsProjectName(slug) ? slug : null;
    }

    /// <summary>The repository name of a Git remote URL (<c>https://host/org/repo.git</c> → <c>repo</c>).</summary>
    /// <param name="url">The URL.</param>
    /// <returns>The name, or null.</returns>
    public static string? RepositoryName(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        if (trimmed.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^4];
        }

        var cut = trimmed.LastIndexOfAny(['/', ':']);
        var name = cut >= 0 ? trimmed[(cut + 1)..] : trimmed;
        return name.Length == 0 ? null : name;
    }

    /// <summary>A stable client run id from its identifying parts (<c>prefix-</c> + 40 hex).</summary>
    /// <param name="prefix">Which client kind.</param>
    /// <param name="parts">The identifying parts.</param>
    /// <returns>The id.</returns>
    public static string StableKey(string prefix, params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return prefix + "-" + Convert.ToHexStringLower(hash)[..40];
    }
}
