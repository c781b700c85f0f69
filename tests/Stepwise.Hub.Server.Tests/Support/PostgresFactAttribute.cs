namespace Stepwise.Hub.Server.Tests.Support;

/// <summary>A fact that needs the PostgreSQL 15 binaries; skipped, with the reason, only where they are absent.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
