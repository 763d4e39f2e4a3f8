using System.Globalization;
using System.Numerics;
using Npgsql;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// A real event store on a test database with the query projection migrated, and builders for the aggregator's own
/// event records: tests append events exactly as intake, the closer and the transmitter do, then drive the projection.
/// </summary>
public sealed class QueryLog : IAsyncDisposable
{
    private QueryLog(NpgsqlDataSource dataSource, IEventStore store, QuerySchema schema)
    {
        DataSource = dataSource;
        Store = store;
        Schema = schema;
        Projection = new QueryProjection(schema);
        Subscription = new CatchUpSubscription(dataSource, Projection);
        Map = new EventTypeMap().RegisterIntakeEvents().RegisterRoundEvents().RegisterTransmissionEvents();
    }

    public NpgsqlDataSource DataSource { get; }

    public IEventStore Store { get; }

    public QuerySchema Schema { get; }

    public QueryProjection Projection { get; }

    public CatchUpSubscription Subscription { get; }

    public EventTypeMap Map { get; }

    public static async Task<QueryLog> CreateAsync(string connectionString, string schema = QuerySchema.DefaultName)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await PostgresEventStore.MigrateAsync(dataSource, new EventStoreOptions());
        var querySchema = new QuerySchema(schema);
        await querySchema.MigrateAsync(dataSource);
        return new QueryLog(dataSource, PostgresEventStore.Create(dataSource, new EventStoreOptions()), querySchema);
    }

    public static Address Addr(int n) => new([.. new byte[19], (byte)n]);

    public static Address Token(int n) => new([0x70, .. new byte[18], (byte)n]);

    public QueryReader Reader() => new(DataSource, Schema);

    /// <summary>Appends events to <c>round-&lt;r&gt;</c> (or the rejections stream for rejections), as the aggregator does.</summary>
    public async Task AppendAsync(params object[] events)
    {
        foreach (var e in events)
        {
            var stream = e switch
            {
                ObservationRejected => IntakeEventNames.RejectionsStream,
                _ => IntakeEventNames.RoundStream((ulong)e.GetType().GetProperty("Round")!.GetValue(e)!),
            };
            await Store.AppendAsync(new StreamId(stream), ExpectedVersion.Any, [Map.ToEventData(e, Guid.NewGuid())]);
        }
    }

    /// <summary>Appends an event of a type the projection does not know.</summary>
    public Task AppendUnknownAsync(string stream, string type, string json) =>
        Store.AppendAsync(new StreamId(stream), ExpectedVersion.Any, [new EventData(Guid.NewGuid(), type, json, default)]);

    /// <summary>Applies every pending event (one transaction per batch, checkpoint included).</summary>
    public async Task CatchUpAsync()
    {
        while (await Subscription.ProcessBatchAsync(default) > 0)
        {
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(Schema.Sql(sql));
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

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}
