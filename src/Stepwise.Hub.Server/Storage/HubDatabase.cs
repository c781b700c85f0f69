using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Stepwise.Hub.Server.Storage;

/// <summary>Opens connections to the Hub's metadata database: an SQLite file or a PostgreSQL server.</summary>
internal sealed class HubDatabase : IAsyncDisposable
{
    private readonly string? _sqliteConnectionString;
    private readonly NpgsqlDataSource? _postgres;
    private volatile bool _walSet;

    private HubDatabase(SqlDialect dialect, string? sqliteConnectionString, NpgsqlDataSource? postgres, string description)
    {
        Dialect = dialect;
        _sqliteConnectionString = sqliteConnectionString;
        _postgres = postgres;
        Description = description;
    }

    /// <summary>The engine.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Where the data lives, without secrets (for logs).</summary>
    public string Description { get; }

    /// <summary>Creates the database handle from the <c>--db</c> value, or the SQLite file in the data dir.</summary>
    /// <param name="connectionString">A PostgreSQL connection string (keywords or URI), an SQLite path/connection string, or null.</param>
    /// <param name="dataDir">The data directory (SQLite file default location).</param>
    /// <returns>The handle.</returns>
    public static HubDatabase Create(string? connectionString, string dataDir)
    {
        if (!string.IsNullOrWhiteSpace(connectionString) && IsPostgres(connectionString))
        {
            var builder = new NpgsqlConnectionStringBuilder(ToKeywordForm(connectionString));
            var source = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
            return new HubDatabase(SqlDialect.Postgres, null, source, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
        }

        string path;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            path = Path.Combine(dataDir, "hub.db");
        }
        else if (connectionString.Contains('=', StringComparison.Ordinal))
        {
            path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        }
        else
        {
            path = connectionString;
        }

        path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new HubDatabase(SqlDialect.Sqlite, sqlite.ConnectionString, null, $"SQLite {path}");
    }

    /// <summary>True when the text is a PostgreSQL connection string.</summary>
    /// <param name="connectionString">The text.</param>
    /// <returns>True for PostgreSQL.</returns>
    public static bool IsPostgres(string connectionString)
    {
        var text = connectionString.Trim();
        return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || text.Contains("host=", StringComparison.OrdinalIgnoreCase)
            || text.Contains("server=", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Opens a connection (SQLite: WAL journal, normal sync, foreign keys on).</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open connection.</returns>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            // WAL is a property of the file: set once. The others belong to each connection (cheap to repeat).
            pragma.CommandText = _walSet
                ? "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;"
                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _walSet = true;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string ToKeywordForm(string text)
    {
        text = text.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        var uri = new Uri(text);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
        }

        return builder.ConnectionString;
    }
}
