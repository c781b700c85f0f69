namespace Stepwise.Hub.Server.Storage;

/// <summary>The database engine behind the Hub.</summary>
public enum SqlDialect
{
    /// <summary>Embedded SQLite file (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (several Hub instances can share it).</summary>
    Postgres,
}
