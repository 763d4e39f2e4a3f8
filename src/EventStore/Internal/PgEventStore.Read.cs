using System.Runtime.CompilerServices;
using Npgsql;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Internal;

/// <summary>Reads: one statement each (REFERENCES.md rule 4), so every read sees one consistent snapshot.</summary>
internal sealed partial class PgEventStore
{
    /// <summary>The columns every event read returns, in <see cref="ReadEvent"/>'s order.</summary>
    public const string Columns = "stream_id, version, position, event_id, event_type, data::text, correlation_id, causation_id, created_at";

    private readonly string _readAllSql;
    private readonly string _readForwardSql;
    private readonly string _readBackwardSql;
    private readonly string _headSql;
    private readonly string _versionSql;

    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(
        StreamId stream, ReadDirection direction, long? from = null, int maxCount = int.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _ = stream.Value;
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        if (from is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, "A stream version is zero or more.");
        }

        var forwards = direction == ReadDirection.Forwards;
        if (!forwards && direction != ReadDirection.Backwards)
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "Forwards or Backwards.");
        }

        var command = _dataSource.CreateCommand(forwards ? _readForwardSql : _readBackwardSql);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream.Value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from ?? (forwards ? 0 : long.MaxValue) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = maxCount });
        await foreach (var e in ReadEventsAsync(command, "read stream", cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition, int maxCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        var command = _dataSource.CreateCommand(_readAllSql);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterPosition });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = maxCount });
        await foreach (var e in ReadEventsAsync(command, "read all", cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    public async Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var command = _dataSource.CreateCommand(_headSql);
            await using var commandScope = command.ConfigureAwait(false);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (NpgsqlException e)
        {
            throw ErrorMapper.Unavailable("read head", e);
        }
    }

    public async Task<long?> ReadStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default)
    {
        try
        {
            var command = _dataSource.CreateCommand(_versionSql);
            await using var commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream.Value });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        }
        catch (NpgsqlException e)
        {
            throw ErrorMapper.Unavailable("read stream version", e);
        }
    }

    /// <summary>Reads the events a command selects with <see cref="Columns"/>, mapping database failures.</summary>
    internal static async IAsyncEnumerable<RecordedEvent> ReadEventsAsync(NpgsqlCommand command, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        NpgsqlDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw ErrorMapper.Unavailable(operation, e);
        }

        await using (reader.ConfigureAwait(false))
        {
            while (true)
            {
                RecordedEvent e;
                try
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        yield break;
                    }

                    e = ReadEvent(reader);
                }
                catch (NpgsqlException ex)
                {
                    throw ErrorMapper.Unavailable(operation, ex);
                }

                yield return e;
            }
        }
    }

    /// <summary>One row of <see cref="Columns"/>.</summary>
    internal static RecordedEvent ReadEvent(NpgsqlDataReader reader) => new(
        new StreamId(reader.GetString(0)),
        reader.GetInt64(1),
        reader.GetInt64(2),
        reader.GetGuid(3),
        reader.GetString(4),
        reader.GetString(5),
        new EventMetadata(reader.IsDBNull(6) ? null : reader.GetGuid(6), reader.IsDBNull(7) ? null : reader.GetGuid(7)),
        reader.GetFieldValue<DateTimeOffset>(8));
}
