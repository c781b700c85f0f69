using Stepwise.Settings;

namespace Stepwise.Cli;

/// <summary>What a mode runs with: output streams, Ctrl+C, the clock and the settings file.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="IsTerminal">True when standard output is a terminal (progress bars redraw in place).</param>
/// <param name="Time">The clock.</param>
/// <param name="Settings">The settings file.</param>
/// <param name="Cancellation">Signalled on Ctrl+C.</param>
internal sealed record CliContext(
    TextWriter Out,
    TextWriter Error,
    bool IsTerminal,
    TimeProvider Time,
    SettingsStore Settings,
    CancellationToken Cancellation);
