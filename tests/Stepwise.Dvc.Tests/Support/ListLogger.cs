using Microsoft.Extensions.Logging;

namespace Stepwise.Dvc.Tests.Support;

/// <summary>Collects log entries so tests can check warnings.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _gate = new();

    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IEnumerable<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
