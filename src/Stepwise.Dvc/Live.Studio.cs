namespace Stepwise.Dvc;

public sealed partial class Live
{
    private void InitStudio()
    {
        _ = _options;
    }

    private void EnqueueStudioData()
    {
        _ = _options;
    }

    private void FinishStudio()
    {
        _ = _options;
    }

    private void DisposeStudio()
    {
        _ = _options;
    }
}
