using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Internal.Schema;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Internal.Schema;

public sealed class SchemaMigratorTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task MigrateAsync_ManyReplicasAtOnce_AppliesEachMigrationOnce()
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        var options = new EventStoreOptions { Schema = "es_race" };
        var versions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostgresEventStore.MigrateAsync(dataSource, options)));

        Assert.All(versions, v => Assert.Equal(Migrations.Latest, v));
        await using var command = dataSource.CreateCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM es_race.schema_migrations");
        Assert.Equal(string.Join(',', Migrations.All.Select(m => m.Version)), (string)(await command.ExecuteScalarAsync())!);
        Assert.Equal(Migrations.Latest, await PostgresEventStore.MigrateAsync(dataSource, options));
    }

    [Fact]
    public async Task MigrateAsync_FromVersionOne_UpgradesAndKeepsData()
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        var migrator = new SchemaMigrator(dataSource, new SchemaNames("es_upgrade"), NullLogger.Instance);
        Assert.Equal(1, await migrator.MigrateAsync(1, default));
        await using (var insert = dataSource.CreateCommand("INSERT INTO es_upgrade.streams VALUES ('kept', 0)"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal(Migrations.Latest, await migrator.MigrateAsync(null, default));
        var store = PostgresEventStore.Create(dataSource, new EventStoreOptions { Schema = "es_upgrade" });
        Assert.Equal(0L, await store.ReadStreamVersionAsync(new StreamId("kept")));
        Assert.Equal(1L, (await store.AppendAsync(new StreamId("kept"), ExpectedVersion.Exact(0), TestStore.Events(1))).StreamVersion);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanCode_ThrowsSchemaVersion()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_newer" });
        await t.ExecuteAsync($"INSERT INTO {{s}}.schema_migrations (version, description) VALUES ({Migrations.Latest + 1}, 'from the future')");

        var e = await Assert.ThrowsAsync<SchemaVersionException>(() => PostgresEventStore.MigrateAsync(t.DataSource, t.Options));
        Assert.Equal(Migrations.Latest + 1, e.DatabaseVersion);
        Assert.Equal(Migrations.Latest, e.CodeVersion);
    }

    [Theory]
    [InlineData("Public")]
    [InlineData("a;drop")]
    [InlineData("")]
    public void SchemaNames_InvalidSchema_ThrowsArgumentException(string schema) =>
        Assert.Throws<ArgumentException>(() => new SchemaNames(schema));
}
