namespace Stepwise.Dvc;

public sealed partial class Live
{
    private void StartSystemMonitor()
    {
        _ = _options;
    }

    private void StopSystemMonitor()
    {
        _ = _options;
    }
}
