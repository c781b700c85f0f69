using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    private long _lastReportTimestamp;
    private bool _reportRendered;
    private readonly HashSet<string> _reportWarned = new(StringComparer.Ordinal);

    /// <summary>Renders the report (html or md) now; nothing without a report mode.</summary>
    public void MakeReport() => MakeReport(force: true);

    private void MakeReport(bool force)
    {
        if (_options.Report == LiveReportMode.None)
        {
            return;
        }

        // The reference re-renders the whole history at every step; here at most once per interval
        // during the run, and always at the end, so a step's cost does not grow with the history.
        var now = _time.GetTimestamp();
        if (!force && _reportRendered && _time.GetElapsedTime(_lastReportTimestamp, now) < _options.ReportInterval)
        {
            return;
        }

        try
        {
            FlushRows();
            var inputs = new ReportRenderer.Inputs(
                _dirFull,
                File.Exists(ParamsFile) ? _params : null,
                File.Exists(MetricsFile) ? _summary : null,
                _plots.Select(p => new ReportRenderer.PlotInfo(p.Key, Path.Combine(PlotsDir, p.Value.RelativeFile), p.Value.Config, p.Value.SklearnKind, p.Value.RelativeFile.StartsWith("sklearn/", StringComparison.Ordinal))).ToList());
            if (_options.Report == LiveReportMode.Html)
            {
                AtomicFile.WriteText(ReportFile!, ReportRenderer.Html(inputs));
            }
            else
            {
                var (text, skipped) = ReportRenderer.Markdown(inputs);
                foreach (var name in skipped.Where(_reportWarned.Add))
                {
                    _logger.LogWarning("`generate_markdown` can only be used with `LinearTemplate` (plot '{Name}' is not in report.md).", name);
                }

                AtomicFile.WriteText(ReportFile!, text);
            }

            _lastReportTimestamp = now;
            _reportRendered = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            _logger.LogWarning("Error in make_report: {Message}", ex.Message);
        }

    }
}
