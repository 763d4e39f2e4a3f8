using System.Globalization;
using System.Numerics;
using Npgsql;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// The aggregator's Marten event store on a test database with the query projection registered, and builders for the
/// aggregator's own event records: tests append events exactly as intake, the closer and the transmitter do, then drive
/// the projection with <see cref="CatchUpAsync"/> (Marten's daemon catching up once) or run the daemon (QueryHost).
/// </summary>
public sealed class QueryLog : IAsyncDisposable
{
    private QueryLog(NpgsqlDataSource dataSource, AggregatorEventStore events, QuerySchema schema)
    {
        DataSource = dataSource;
        Events = events;
        Schema = schema;
        Projection = new QueryProjection(schema);
    }

    public NpgsqlDataSource DataSource { get; }

    public AggregatorEventStore Events { get; }

    public IDocumentStore Store => Events.Store;

    public QuerySchema Schema { get; }

    public QueryProjection Projection { get; }

    // daemon: Disabled, the projection moves only in CatchUpAsync; HotCold, Marten's daemon runs it.
    public static async Task<QueryLog> CreateAsync(string connectionString, string schema = QuerySchema.DefaultName, DaemonMode daemon = DaemonMode.Disabled)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var querySchema = new QuerySchema(schema);
        var events = await AggregatorEventStore.StartAsync(dataSource, new AggregatorStoreOptions("eventstore", querySchema, daemon), NullLoggerFactory.Instance,
            TimeProvider.System, default);
        return new QueryLog(dataSource, events, querySchema);
    }

    public static Address Addr(int n) => new([.. new byte[19], (byte)n]);

    public static Address Token(int n) => new([0x70, .. new byte[18], (byte)n]);

    public QueryReader Reader() => new(Store);

    /// <summary>Appends events to <c>round-&lt;r&gt;</c> (or the rejections stream for rejections), each in its own commit, as the aggregator does.</summary>
    public async Task AppendAsync(params object[] events)
    {
        foreach (var e in events)
        {
            var stream = e switch
            {
                ObservationRejected => IntakeEventNames.RejectionsStream,
                SenderBalanceLow or SenderBalanceRestored => TransmissionEventNames.TransmitterStream,
                _ => IntakeEventNames.RoundStream((ulong)e.GetType().GetProperty("Round")!.GetValue(e)!),
            };
            await Store.AppendAsync(stream, e);
        }
    }

    /// <summary>The global sequence of the last event appended (0 when none).</summary>
    public async Task<long> HeadAsync() => await ScalarAsync<long>("SELECT coalesce(max(seq_id), 0) FROM eventstore.mt_events");

    /// <summary>The query projection's progression (Marten's checkpoint of its shard).</summary>
    public async Task<long> CheckpointAsync() =>
        await ScalarAsync<long>("SELECT coalesce((SELECT last_seq_id FROM eventstore.mt_event_progression WHERE name = $1), 0)", Projection.Name + ":All");

    /// <summary>Has Marten's daemon apply every pending event to the query projection (one transaction per page, progress included).</summary>
    /// <remarks>
    /// Marten catches up to its high-water mark, which holds while any transaction of the cluster could still commit a
    /// lower sequence number (other tests share the server): caught up means the progression reached the last event.
    /// </remarks>
    public async Task CatchUpAsync()
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        var head = await HeadAsync();
        using var daemon = await Store.BuildProjectionDaemonAsync();
        do
        {
            await daemon.CatchUpAsync(TimeSpan.FromSeconds(60), default);
            if (await CheckpointAsync() >= head)
            {
                return;
            }

            await Task.Delay(50);
        }
        while (TimeProvider.System.GetUtcNow() < deadline);
        throw new TimeoutException($"the query projection did not reach event {head} within 60 s (at {await CheckpointAsync()})");
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static ObservationAccepted Accepted(ulong round, Address reporter, params (Address Token, BigInteger Circulating, ulong Factor)[] observations)
    {
        var entries = observations.OrderBy(o => o.Token).Select(o => new TokenObservation(o.Token, new TokenAmount(o.Circulating), new Wad(o.Factor))).ToList();
        var digest = Hex.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{round}/{reporter}/{string.Join(",", observations)}"))));
        return new ObservationAccepted(round, reporter.ToChecksumString(), digest, round * 10, 1_700_000_000 + round * 120, Hex.Encode(new byte[32]),
            Hex.Encode(ObservationEncoding.Encode(entries)), Hex.Encode(new byte[65]), entries.Count);
    }

    public static RoundClosed Closed(ulong round, IReadOnlyList<Address>? equivocators = null, params (Address Token, bool InReport, string Reason)[] outcomes) =>
        new(round, round * 10 + 5, 3, [.. (equivocators ?? []).Select(e => e.ToChecksumString())],
            [.. outcomes.Select(o => $"{o.Token}:{(o.InReport ? "in-report" : "left-out")}:{o.Reason}")]);

    public static RoundProposed Proposed(ulong round, params (Address Token, UInt128 Circulating, ulong Factor, UpdateStatus Status)[] updates) =>
        new(round, $"agg/{round}", round * 10 + 5, Hex.Encode(new byte[32]),
            Hex.Encode(UpdateEncoding.Encode([.. updates.OrderBy(u => u.Token).Select(u => new ReportUpdate(u.Token, u.Circulating, new Wad(u.Factor), u.Status))])), []);

    public static TransmissionIntended Intended(ulong round, params Address[] signers) =>
        new(round, Addr(200).ToChecksumString(), [.. signers.Select(s => s.ToChecksumString())]);

    public static RoundConfirmed Confirmed(ulong round, ulong gas = 123_456) =>
        new(round, Hex.Encode([.. new byte[31], (byte)round]), round * 10 + 7, gas, 0);

    /// <summary>Loads one query document (null when absent).</summary>
    public async Task<T?> LoadAsync<T>(object id)
        where T : class
    {
        await using var session = Store.QuerySession();
        return id switch
        {
            long l => await session.LoadAsync<T>(l),
            string s => await session.LoadAsync<T>(s),
            _ => throw new ArgumentException("a query document id is a long or a string", nameof(id)),
        };
    }

    /// <summary>Counts the query documents of type <typeparamref name="T"/>.</summary>
    public async Task<int> CountAsync<T>()
        where T : notnull
    {
        await using var session = Store.QuerySession();
        return await session.Query<T>().CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Events.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
