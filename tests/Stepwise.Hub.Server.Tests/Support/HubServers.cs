namespace Stepwise.Hub.Server.Tests.Support;

/// <summary>Class fixture: one server per backend, started on first use and shared by a test class.</summary>
public sealed class HubServers : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, TestHub> _hubs = new(StringComparer.Ordinal);

    public async Task<TestHub> GetAsync(string backend)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_hubs.TryGetValue(backend, out var hub))
            {
                hub = await TestHub.StartAsync(backend);
                _hubs[backend] = hub;
            }

            return hub;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in _hubs.Values)
        {
            await hub.DisposeAsync();
        }

        _gate.Dispose();
    }
}
