using System.Reflection;
using Stepwise.Hub.Server.Tests.Support;
using Xunit.Sdk;

namespace Stepwise.Hub.Server.Tests.Interop;

/// <summary>Theory row (postgres, create_ok); skipped, with the reason, only where the PostgreSQL 15 binaries are absent.</summary>
public sealed class PostgresCreateOkAttribute : DataAttribute
{
    public PostgresCreateOkAttribute()
    {
        if (PostgresServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TestHub.Postgres, "create_ok"]];
}
