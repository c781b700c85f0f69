using Microsoft.Extensions.Logging;

namespace Stepwise.Dvc.Internal;

/// <summary>Applies <c>DVCLIVE_LOGLEVEL</c> (default WARNING) on top of the configured logger.</summary>
internal sealed class LevelLogger : ILogger
{
    private readonly ILogger _inner;
    private readonly LogLevel _minimum;

    public LevelLogger(ILogger inner, string? level)
    {
        _inner = inner;
        _minimum = level?.Trim().ToUpperInvariant() switch
        {
            "DEBUG" or "NOTSET" => LogLevel.Debug,
            "INFO" => LogLevel.Information,
            "ERROR" => LogLevel.Error,
            "CRITICAL" or "FATAL" => LogLevel.Critical,
            _ => LogLevel.Warning,
        };
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum && _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
