using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Stepwise.Hub.Server.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 server for the test run: initdb into a temp dir (as the <c>postgres</c>
/// user when the tests run as root, since initdb refuses root), listening on 127.0.0.1 at a free
/// port, stopped when the test process exits. Each caller gets its own fresh database.
/// </summary>
public sealed class PostgresServer
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";

    private const string RootPrefix = "stepwise-pg-";
    private const string OwnerFile = "owner.pid";

    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;

    private readonly string _root;
    private readonly bool _asPostgresUser;

    private PostgresServer(string root, int port, bool asPostgresUser)
    {
        _root = root;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>Null when the binaries are present; otherwise why PostgreSQL tests are skipped.</summary>
    public static string? MissingReason =>
        File.Exists(Path.Combine(BinDir, "initdb")) && File.Exists(Path.Combine(BinDir, "pg_ctl"))
            ? null
            : $"PostgreSQL 15 binaries not found in {BinDir} (install postgresql-15)";

    public static PostgresServer Instance => Shared.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"hub_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 20 }.ConnectionString;

    private static PostgresServer Start()
    {
        if (MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var asPostgres = Environment.UserName == "root";
        ReapOrphans(asPostgres);
        var root = Path.Combine(Path.GetTempPath(), RootPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (asPostgres)
        {
            Run("chown", ["postgres", root], asPostgres: false);
        }

        var port = FreePort();
        var server = new PostgresServer(root, port, asPostgres);
        server.Pg("initdb", ["-D", Path.Combine(root, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
        server.Pg("pg_ctl", ["-D", Path.Combine(root, "data"), "-l", Path.Combine(root, "log"), "-w", "-t", "60", "start",
            "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        server.StartWatchdog();
        return server;
    }

    /// <summary>
    /// The test host may be killed without running exit handlers: a detached watcher stops the server
    /// and deletes its directory once this process is gone.
    /// </summary>
    private void StartWatchdog()
    {
        var script = $"while [ -d /proc/{Environment.ProcessId} ]; do sleep 1; done; "
            + $"{Path.Combine(BinDir, "pg_ctl")} -D '{Path.Combine(_root, "data")}' -m immediate -w stop; rm -rf '{_root}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in _asPostgresUser ? (string[])["runuser", "-u", "postgres", "--", "sh", "-c", script] : ["sh", "-c", script])
        {
            start.ArgumentList.Add(a);
        }

        Process.Start(start)?.Dispose();
    }

    /// <summary>
    /// Stops servers left behind by test processes that are gone. The test host is often ended without
    /// running ProcessExit handlers, so each server records its owner and the next run cleans up.
    /// </summary>
    private static void ReapOrphans(bool asPostgres)
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            var ownerPath = Path.Combine(dir, OwnerFile);
            if (!File.Exists(ownerPath) || !int.TryParse(File.ReadAllText(ownerPath), out var owner) || IsAlive(owner))
            {
                continue;
            }

            new PostgresServer(dir, 0, asPostgres).Stop();
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private void Stop()
    {
        try
        {
            Pg("pg_ctl", ["-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void Pg(string tool, string[] args) => Run(Path.Combine(BinDir, tool), args, _asPostgresUser);

    private static void Run(string file, string[] args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {stdout.Result} {stderr.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
