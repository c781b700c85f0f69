using Stepwise.Hub.Server.Auth;
using Stepwise.Hub.Server.Storage;

namespace Stepwise.Hub.Server.Api;

/// <summary>Everything an endpoint needs, as one injected service.</summary>
/// <param name="Store">The data-access layer.</param>
/// <param name="Blobs">The blob folder.</param>
/// <param name="Metrics">The group-commit metric writer.</param>
/// <param name="Keys">The key authenticator.</param>
/// <param name="Options">The server settings.</param>
/// <param name="Time">The clock.</param>
/// <param name="Runs">Cached run states for the metric hot path.</param>
internal sealed record HubServices(HubStore Store, BlobStore Blobs, MetricWriter Metrics, KeyAuthenticator Keys, HubServerOptions Options, TimeProvider Time, RunStateCache Runs)
{
    /// <summary>The clock reading in Unix milliseconds.</summary>
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
