using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace SupplyOracle.TestSupport;

/// <summary>How a fixture-owned PostgreSQL server is stopped.</summary>
public enum PostgresStopMode
{
    /// <summary>SIGINT: roll back open transactions, disconnect clients, checkpoint.</summary>
    Fast,

    /// <summary>SIGQUIT: exit at once; the next start runs crash recovery (a crash, as far as clients can tell).</summary>
    Immediate,
}

/// <summary>
/// A PostgreSQL server for tests: a throwaway cluster (initdb + postgres from the machine's PostgreSQL) in a temporary
/// directory on a free loopback port, run as the <c>postgres</c> user when the test process is root (initdb refuses
/// root). If SUPPLYORACLE_TEST_PG holds a connection string, that server is used instead and nothing is started.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Environment variable naming an external server to use instead of a throwaway cluster.</summary>
    public const string ExternalServerVariable = "SUPPLYORACLE_TEST_PG";

    private static readonly string[] s_binDirectories = Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")).ToArray()
        : [];

    private readonly string? _directory;
    private readonly string? _postgresBinary;
    private TiedProcess? _process;

    private PostgresServer(string adminConnectionString, string? directory, string? postgresBinary, int port)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
        _postgresBinary = postgresBinary;
        Port = port;
    }

    /// <summary>Connection string of the superuser on the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The TCP port on 127.0.0.1 (or the external server's port).</summary>
    public int Port { get; }

    /// <summary>True when the server is the one named by SUPPLYORACLE_TEST_PG (it cannot be stopped or restarted here).</summary>
    public bool IsExternal => _directory is null;

    /// <summary>Starts a server: the external one if configured (unless <paramref name="requireOwned"/>), else a new cluster.</summary>
    public static async Task<PostgresServer> StartAsync(bool requireOwned = false, CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!requireOwned && !string.IsNullOrWhiteSpace(external))
        {
            var server = new PostgresServer(external, null, null, new NpgsqlConnectionStringBuilder(external).Port);
            await server.WaitReadyAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            return server;
        }

        return await StartClusterAsync(Directory.CreateTempSubdirectory("supplyoracle-pg-").FullName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a new cluster in <paramref name="directory"/> (created if missing, must be empty; it must be reachable by
    /// the <c>postgres</c> user when this process is root). The directory is deleted when the server is disposed, or by
    /// the watchdog when this process dies first. Used by the local network (tools/Devnet), which keeps its data in one place.
    /// </summary>
    public static Task<PostgresServer> StartInDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new PostgresStartException($"{full} is not empty: a new cluster needs an empty directory");
        }

        Directory.CreateDirectory(full);
        return StartClusterAsync(full, cancellationToken);
    }

    private static async Task<PostgresServer> StartClusterAsync(string directory, CancellationToken cancellationToken)
    {
        var initdb = RepoPaths.FindExecutable("initdb", s_binDirectories)
            ?? throw new ToolMissingException("initdb (PostgreSQL server)", "PATH and /usr/lib/postgresql/*/bin",
                "apt-get install -y postgresql (or set SUPPLYORACLE_TEST_PG to a connection string)");
        var postgres = RepoPaths.FindExecutable("postgres", s_binDirectories)
            ?? throw new ToolMissingException("postgres", "PATH and /usr/lib/postgresql/*/bin", "apt-get install -y postgresql");

        try
        {
            await RunToEndAsync("chmod", ["755", directory], cancellationToken).ConfigureAwait(false);
            if (Native.IsRoot)
            {
                await RunToEndAsync("chown", ["postgres:postgres", directory], cancellationToken).ConfigureAwait(false);
            }

            await RunToEndAsync(initdb,
                ["-D", Path.Combine(directory, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
                cancellationToken, asPostgres: true).ConfigureAwait(false);

            // A port can be taken between the probe and postgres binding it: try a few.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var cs = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=5;Include Error Detail=true";
                var server = new PostgresServer(cs, directory, postgres, port);
                try
                {
                    await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
                    return server;
                }
                catch (PostgresStartException) when (attempt < 5 && server._process is { IsRunning: false })
                {
                    // Exited at once (most likely the port): next port.
                }
            }
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>Creates a new, empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var name = $"{prefix ?? "t"}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server (it keeps its data directory and port).</summary>
    public async Task StopAsync(PostgresStopMode mode = PostgresStopMode.Fast)
    {
        EnsureOwned();
        if (_process is null)
        {
            return;
        }

        if (mode == PostgresStopMode.Immediate && ReadPostmasterPid() is { } pid)
        {
            Native.Signal(pid, Native.SigQuit);
        }

        await _process.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
        _process = null;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts a stopped server again on the same port and data.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        EnsureOwned();
        return _process is null ? StartServerAsync(cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Stops and starts the server.</summary>
    public async Task RestartAsync(PostgresStopMode mode = PostgresStopMode.Fast, CancellationToken cancellationToken = default)
    {
        await StopAsync(mode).ConfigureAwait(false);
        await StartAgainAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (IsExternal)
        {
            return;
        }

        if (_process is not null)
        {
            await _process.StopAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            await _process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }

        TryDelete(_directory!);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var data = Path.Combine(_directory!, "data");
        string[] args =
        [
            "-D", data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _directory!,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=300",
            "-c", "shared_buffers=256MB", "-c", "max_wal_size=2GB", "-c", "log_min_messages=warning",
        ];
        _process = Native.IsRoot
            ? TiedProcess.Start("postgres", "setpriv", AsPostgresUser(_postgresBinary!, args), Native.SigInt, cleanupDirectory: _directory)
            : TiedProcess.Start("postgres", _postgresBinary!, args, Native.SigInt, cleanupDirectory: _directory);
        await WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var cs = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = 2 }.ConnectionString;
        while (true)
        {
            if (_process is { IsRunning: false })
            {
                throw new PostgresStartException($"postgres exited with {_process.ExitCode} during start-up:\n{_process.RecentOutput}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(cs);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && sw.Elapsed < timeout)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                throw new PostgresStartException(
                    $"PostgreSQL at {AdminConnectionString} not ready after {timeout.TotalSeconds} s: {e.Message}\n{_process?.RecentOutput}");
            }
        }
    }

    private int? ReadPostmasterPid()
    {
        var file = Path.Combine(_directory!, "data", "postmaster.pid");
        try
        {
            var first = File.ReadLines(file).FirstOrDefault();
            return int.TryParse(first, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void EnsureOwned()
    {
        if (IsExternal)
        {
            throw new InvalidOperationException(
                $"The server named by {ExternalServerVariable} cannot be stopped or restarted by a test: start an owned one with StartAsync(requireOwned: true).");
        }
    }

    private static string[] AsPostgresUser(string binary, IEnumerable<string> args) =>
        ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", binary, .. args];

    private static async Task RunToEndAsync(string file, string[] args, CancellationToken cancellationToken, bool asPostgres = false)
    {
        var psi = new ProcessStartInfo(asPostgres && Native.IsRoot ? "setpriv" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in asPostgres && Native.IsRoot ? AsPostgresUser(file, args) : args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new PostgresStartException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open: the temp directory is reclaimed by the OS; nothing to lose.
        }
    }
}

/// <summary>The test PostgreSQL server could not be started.</summary>
public sealed class PostgresStartException(string message) : Exception(message);
