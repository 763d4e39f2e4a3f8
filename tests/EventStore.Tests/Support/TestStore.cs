using Npgsql;
using SupplyOracle.EventStore.Internal;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Tests.Support;

/// <summary>A migrated store on a test database, with helpers to build events and query tables directly.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    private TestStore(NpgsqlDataSource dataSource, IEventStore store, EventStoreOptions options)
    {
        DataSource = dataSource;
        Store = store;
        Options = options;
    }

    public NpgsqlDataSource DataSource { get; }

    public IEventStore Store { get; }

    public EventStoreOptions Options { get; }

    public string Schema => Options.Schema;

    public static async Task<TestStore> CreateAsync(string connectionString, EventStoreOptions? options = null, int maxPoolSize = 100)
    {
        options ??= new EventStoreOptions();
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxPoolSize }.ConnectionString);
        var dataSource = builder.Build();
        await PostgresEventStore.MigrateAsync(dataSource, options);
        return new TestStore(dataSource, PostgresEventStore.Create(dataSource, options), options);
    }

    public static EventData Event(string type = "test-happened.v1", string? json = null, Guid? id = null, EventMetadata metadata = default) =>
        new(id ?? Guid.NewGuid(), type, json ?? "{\"n\":1}", metadata);

    public static EventData[] Events(int count, string type = "test-happened.v1") =>
        [.. Enumerable.Range(0, count).Select(i => Event(type, $"{{\"i\":{i}}}"))];

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql.Replace("{s}", Schema, StringComparison.Ordinal));
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql.Replace("{s}", Schema, StringComparison.Ordinal));
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<RecordedEvent>> ReadAllAsync(long after = 0)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in Store.ReadAllAsync(after, int.MaxValue))
        {
            list.Add(e);
        }

        return list;
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();

    /// <summary>The store's internal view (for the schema names).</summary>
    public PgEventStore Internal => (PgEventStore)Store;
}

/// <summary>A clock that stands still unless told to move.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
