using System.Reflection;
using Xunit.Sdk;

namespace Stepwise.Hub.Server.Tests.Support;

/// <summary>Theory row "postgres"; skipped, with the reason, only where the PostgreSQL 15 binaries are absent.</summary>
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        if (PostgresServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TestHub.Postgres]];
}
