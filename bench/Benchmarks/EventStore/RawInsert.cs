using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace SupplyOracle.Benchmarks.EventStore;

/// <summary>
/// The baseline: the same rows inserted into a table identical to the store's events table (<c>LIKE … INCLUDING ALL</c>:
/// same columns, primary key and unique indexes), one multi-row <c>INSERT … SELECT FROM unnest</c> per batch in autocommit,
/// positions drawn client-side: everything the store does minus its safety (head row, stream row, checks).
/// </summary>
internal sealed class RawInsert(NpgsqlDataSource dataSource)
{
    private static long s_position;
    private readonly ConcurrentDictionary<int, long> _versions = new();

    public static async Task CreateTableAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("CREATE SCHEMA bench_raw; CREATE TABLE bench_raw.events (LIKE bench_append.events INCLUDING ALL)");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task InsertAsync(int writer, int batch, int round, CancellationToken cancellationToken)
    {
        var first = Interlocked.Add(ref s_position, batch) - batch + 1;
        var version = _versions.AddOrUpdate(writer, batch, (_, v) => v + batch) - batch;
        var positions = new long[batch];
        var versions = new long[batch];
        var ids = new Guid[batch];
        var types = new string[batch];
        var data = new string[batch];
        var nulls = new Guid?[batch];
        for (var i = 0; i < batch; i++)
        {
            positions[i] = first + i;
            versions[i] = version + i;
            ids[i] = Guid.NewGuid();
            types[i] = "observation-accepted.v1";
            data[i] = EventStoreBenchmark.Payload(writer, (round * batch) + i);
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO bench_raw.events (position, stream_id, version, event_id, event_type, data, correlation_id, causation_id, created_at)
            SELECT p, $1, v, id, t, d, c, k, $8 FROM unnest($2::bigint[], $3::bigint[], $4::uuid[], $5::text[], $6::jsonb[], $7::uuid[], $7::uuid[]) AS u(p, v, id, t, d, c, k)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"writer-{writer}" });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = positions });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = versions });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = types });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<Guid?[]> { TypedValue = nulls, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = DateTimeOffset.UnixEpoch });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
