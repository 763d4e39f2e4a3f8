using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace SupplyOracle.Benchmarks.EventStore;

/// <summary>
/// The baseline: the same rows inserted straight into Marten's own events table (<c>bench_append.mt_events</c>, its
/// sequence, keys, foreign key and indexes), one multi-row <c>INSERT … SELECT FROM unnest</c> per batch in autocommit,
/// versions drawn client-side on a stream row made once per writer: everything Marten does minus its stream bookkeeping.
/// </summary>
internal sealed class RawInsert(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<int, long> _versions = new();

    public async Task InsertAsync(int writer, int batch, int round, CancellationToken cancellationToken)
    {
        var stream = $"raw-{writer}";
        if (round == 0)
        {
            await using var create = dataSource.CreateCommand("INSERT INTO bench_append.mt_streams (id, version) VALUES ($1, 0)");
            create.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var version = _versions.AddOrUpdate(writer, batch, (_, v) => v + batch) - batch;
        var versions = new long[batch];
        var ids = new Guid[batch];
        var data = new string[batch];
        for (var i = 0; i < batch; i++)
        {
            versions[i] = version + i + 1;
            ids[i] = Guid.NewGuid();
            data[i] = EventStoreBenchmark.Payload(writer, (round * batch) + i);
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO bench_append.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type)
            SELECT nextval('bench_append.mt_events_sequence'), id, $1, v, d, 'observation-accepted.v1', now(), '*DEFAULT*', NULL
              FROM unnest($2::bigint[], $3::uuid[], $4::jsonb[]) AS u(v, id, d)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = versions });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
