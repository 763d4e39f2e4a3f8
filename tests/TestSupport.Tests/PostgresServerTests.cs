using Npgsql;

namespace SupplyOracle.TestSupport.Tests;

public sealed class PostgresServerTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task OwnedServer_RestartFastAndImmediate_KeepsCommittedRows()
    {
        await using var server = await PostgresServer.StartAsync(requireOwned: true);
        var cs = await server.CreateDatabaseAsync();

        await ExecuteAsync(cs, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        await ExecuteAsync(cs, "INSERT INTO t VALUES (1, 'one'), (2, 'two')");
        Assert.Equal(["one", "two"], await ReadAsync(cs));

        await server.RestartAsync(PostgresStopMode.Fast);
        Assert.Equal(["one", "two"], await ReadAsync(cs));

        await ExecuteAsync(cs, "INSERT INTO t VALUES (3, 'three')");
        await server.RestartAsync(PostgresStopMode.Immediate);
        Assert.Equal(["one", "two", "three"], await ReadAsync(cs));
    }

    [Fact]
    public async Task StoppedServer_Connect_FailsWithSocketError()
    {
        await using var server = await PostgresServer.StartAsync(requireOwned: true);
        await server.StopAsync();

        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => ReadAsync(server.AdminConnectionString));
        Assert.True(ex.IsTransient, $"a refused connection should be transient: {ex}");

        await server.StartAgainAsync();
        await ExecuteAsync(server.AdminConnectionString, "SELECT 1");
    }

    [Fact]
    public async Task StartInDirectory_EmptyDirectory_ServesThereAndDeletesItOnDispose()
    {
        var parent = Directory.CreateTempSubdirectory("pg-dir-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // The cluster runs as the postgres user when the tests run as root: it must be able to enter the parent.
            File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);
        }
        var directory = Path.Combine(parent, "cluster");
        await using (var server = await PostgresServer.StartInDirectoryAsync(directory))
        {
            Assert.False(server.IsExternal);
            Assert.True(File.Exists(Path.Combine(directory, "data", "PG_VERSION")));
            await using var connection = new NpgsqlConnection(await server.CreateDatabaseAsync("dir"));
            await connection.OpenAsync();
        }

        Assert.False(Directory.Exists(directory));
        Directory.Delete(parent);
    }

    [Fact]
    public async Task StartInDirectory_NonEmptyDirectory_ThrowsAndKeepsItsFiles()
    {
        var directory = Directory.CreateTempSubdirectory("pg-busy-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "keep.txt"), "mine");

        var e = await Assert.ThrowsAsync<PostgresStartException>(() => PostgresServer.StartInDirectoryAsync(directory));

        Assert.Contains("not empty", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory, "keep.txt")));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task ClassFixture_CreatesSeparateDatabases()
    {
        var other = await fixture.Server.CreateDatabaseAsync();
        await ExecuteAsync(fixture.ConnectionString, "CREATE TABLE only_here (x int)");

        var ex = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(other, "SELECT * FROM only_here"));
        Assert.Equal(PostgresErrorCodes.UndefinedTable, ex.SqlState);
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ReadAsync(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT v FROM t ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
