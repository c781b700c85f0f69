using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Auth;

/// <summary>The authenticated caller of a request: one API key.</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="Name">The key's display name.</param>
/// <param name="Scope">What it may do.</param>
/// <param name="Project">The project it is bound to, or null for admin keys.</param>
internal sealed record HubPrincipal(string KeyId, string Name, KeyScope Scope, string? Project)
{
    /// <summary>True when the key may read the project.</summary>
    /// <param name="project">The project.</param>
    /// <returns>True when allowed.</returns>
    public bool CanRead(string project) => Scope == KeyScope.Admin || string.Equals(Project, project, StringComparison.Ordinal);

    /// <summary>True when the key may write the project.</summary>
    /// <param name="project">The project.</param>
    /// <returns>True when allowed.</returns>
    public bool CanWrite(string project) => Scope == KeyScope.Admin || (Scope == KeyScope.Write && string.Equals(Project, project, StringComparison.Ordinal));
}
