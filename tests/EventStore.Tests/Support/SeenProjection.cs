using System.Collections.Concurrent;
using Npgsql;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Tests.Support;

/// <summary>
/// Records every event it is given into a table keyed by position (a duplicate would violate the key) and, after each
/// committed batch is handed over, into memory, so tests can check "every event exactly once, in global order".
/// </summary>
internal sealed class SeenProjection(string table) : IProjection
{
    public string Name => "seen_" + table;

    public IReadOnlyList<string> Tables => [table];

    /// <summary>Positions in the order batches were applied (a batch that later rolled back is included: see <see cref="Applied"/>).</summary>
    public ConcurrentQueue<long> Applied { get; } = new();

    public static async Task CreateTableAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand(
            $"CREATE TABLE {table} (position bigint PRIMARY KEY, stream_id text NOT NULL, version bigint NOT NULL, event_id uuid NOT NULL UNIQUE)");
        await command.ExecuteNonQueryAsync();
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        await using var command = context.CreateCommand(
            $"INSERT INTO {table} (position, stream_id, version, event_id) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[])");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. events.Select(e => e.Position)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.StreamId.Value)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. events.Select(e => e.Version)] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. events.Select(e => e.EventId)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var e in events)
        {
            Applied.Enqueue(e.Position);
        }
    }
}

/// <summary>Per stream: how many events and the last type: a small read model for inline and rebuild tests.</summary>
internal sealed class StreamCountProjection(string table) : IProjection
{
    public string Name => "counts_" + table;

    public IReadOnlyList<string> Tables => [table];

    public static async Task CreateTableAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand(
            $"CREATE TABLE {table} (stream_id text PRIMARY KEY, events bigint NOT NULL, last_type text NOT NULL, last_position bigint NOT NULL)");
        await command.ExecuteNonQueryAsync();
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        // Projections must be deterministic: fold in order, one upsert per event.
        await using var batch = context.CreateBatch();
        foreach (var e in events)
        {
            var command = new NpgsqlBatchCommand(
                $"INSERT INTO {table} AS t (stream_id, events, last_type, last_position) VALUES ($1, 1, $2, $3) " +
                "ON CONFLICT (stream_id) DO UPDATE SET events = t.events + 1, last_type = excluded.last_type, last_position = excluded.last_position");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.StreamId.Value });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Type });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.Position });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
