using System.Globalization;
using Npgsql;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Hosting;

/// <summary>
/// Upgrading from the previous release (issue 17): its event store (src/EventStore, retired) left tables in
/// <c>Aggregator:EventStoreSchema</c>; the Marten aggregator started on that database stops with what to do and writes
/// nothing (Fixtures/previous-release-eventstore.sql is that schema, as the old migrator created it, with two events).
/// </summary>
public sealed class LegacyDatabaseTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aggregator-legacy").FullName;

    [Fact]
    public async Task Run_DatabaseOfThePreviousRelease_StopsWithWhatToDoAndLeavesItUntouched()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using (var create = dataSource.CreateCommand(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "previous-release-eventstore.sql"))))
        {
            await create.ExecuteNonQueryAsync();
        }

        var path = Path.Combine(_directory, "aggregator.json");
        await File.WriteAllTextAsync(path, string.Create(CultureInfo.InvariantCulture, $$"""
            { "Aggregator": { "ChainId": 31337, "Oracle": "0x00000000000000000000000000000000000000aa", "Registry": "0x00000000000000000000000000000000000000bb",
              "RpcUrl": "http://127.0.0.1:1", "Database": "{{new NpgsqlConnectionStringBuilder(database) { Password = null }}}",
              "GrpcListen": "127.0.0.1:{{FreePort.Next()}}" } }
            """));
        var error = new StringWriter();

        var code = await Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Null, error);

        Assert.Equal(RunCommand.LegacyDatabase, code);
        var message = error.ToString();
        Assert.Contains("previous release's event store", message, StringComparison.Ordinal);
        Assert.Contains("eventstore.log_head", message, StringComparison.Ordinal);
        Assert.Contains("Aggregator:EventStoreSchema", message, StringComparison.Ordinal);
        Assert.Contains("Aggregator:Database", message, StringComparison.Ordinal);
        await using var check = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM eventstore.events),
                   (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'eventstore' AND table_name LIKE 'mt\_%')
            """);
        await using var reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(2L, reader.GetInt64(0)); // the old log is kept as it was
        Assert.Equal(0L, reader.GetInt64(1)); // and no Marten table was created beside it
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
