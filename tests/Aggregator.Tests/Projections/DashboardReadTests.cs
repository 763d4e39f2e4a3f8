using System.Numerics;
using Microsoft.Extensions.Logging;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;
using JasperFx.Events.Daemon;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Projections;

/// <summary>The dashboard's reads (participation grid, committed series, newest equivocations) over the query documents.</summary>
public sealed class DashboardReadTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly BigInteger Supply = 1_000_000;

    [Fact]
    public async Task DashboardReads_RoundsWithBatchesCommitsAndEquivocations_ParticipationSeriesAndEquivocationsFromTheDocuments()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        // Round 1: reporters 1 and 2 observe, both attest, token 1 committed at 0.4. Round 2: reporter 3 equivocates,
        // the round is abandoned. Round 3: reporter 1 observes and attests, token 1 committed at 0.5, token 2 left out.
        await log.AppendAsync(
            Accepted(1, Addr(1), (Token(1), Supply, 400)), Accepted(1, Addr(2), (Token(1), Supply, 400)),
            Closed(1, null, (Token(1), true, "Commit")), Proposed(1, (Token(1), (UInt128)Supply, 400, UpdateStatus.Commit)),
            Intended(1, Addr(1), Addr(2)), Confirmed(1));
        var first = Accepted(2, Addr(3), (Token(1), Supply, 9));
        await log.AppendAsync(first, new EquivocationDetected(2, Addr(3).ToChecksumString(), first.Digest, first with { Digest = "0x02" }),
            Closed(2, [Addr(3)], (Token(1), false, "NoQuorum")), new RoundAbandoned(2, "no quorum"));
        await log.AppendAsync(
            Accepted(3, Addr(1), (Token(1), Supply, 500), (Token(2), Supply, 7)),
            Closed(3, null, (Token(1), true, "Commit"), (Token(2), false, "NoQuorum")), Proposed(3, (Token(1), (UInt128)Supply, 500, UpdateStatus.Commit)),
            Intended(3, Addr(1)), Confirmed(3));
        await log.CatchUpAsync();
        var reader = log.Reader();

        var grid = await reader.ParticipationAsync(10);
        Assert.Equal(
            [(3UL, Addr(1), true, true, false), (2UL, Addr(3), true, false, true), (1UL, Addr(1), true, true, false), (1UL, Addr(2), true, true, false)],
            grid.Select(p => (p.Round, p.Reporter, p.Observed, p.Attested, p.Equivocated)));
        Assert.Equal([3UL], (await reader.ParticipationAsync(1)).Select(p => p.Round).Distinct());

        var series = await reader.CommittedSeriesAsync(10);
        Assert.Equal([Token(1)], series.Keys);
        Assert.Equal([(1UL, 400UL, Supply), (3UL, 500UL, Supply)], series[Token(1)].Select(p => (p.Round, p.Factor.Raw, p.Circulating!.Value.Value)));
        Assert.Equal([3UL], (await reader.CommittedSeriesAsync(1))[Token(1)].Select(p => p.Round));
        Assert.Empty(await reader.CommittedSeriesAsync(10, Token(2)));
        Assert.Equal([1UL, 3UL], (await reader.CommittedSeriesAsync(10, Token(1)))[Token(1)].Select(p => p.Round));

        var equivocations = await reader.RecentEquivocationsAsync(20);
        var (round, entry) = Assert.Single(equivocations);
        Assert.Equal(2UL, round);
        Assert.Equal(IntakeEventNames.EquivocationDetected, entry.Event);
        Assert.StartsWith(Addr(3).ToChecksumString(), entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveChanges_ConcurrentWriterWonTheRoundStream_ConflictLoggedAtDebugNotError()
    {
        var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(await postgres.Server.CreateDatabaseAsync());
        await using var events = await AggregatorEventStore.StartAsync(dataSource, new AggregatorStoreOptions("eventstore", new QuerySchema(), DaemonMode.Disabled),
            loggerFactory, TimeProvider.System, default);

        // Two writers read round 7's stream at the same version; the second commit loses in PostgreSQL.
        await using var first = events.Store.LightweightSession();
        await using var second = events.Store.LightweightSession();
        var one = await first.Events.FetchForWriting<RoundLedger>(IntakeEventNames.RoundStream(7));
        var two = await second.Events.FetchForWriting<RoundLedger>(IntakeEventNames.RoundStream(7));
        one.AppendOne(Accepted(7, Addr(1), (Token(1), Supply, 1)));
        two.AppendOne(Accepted(7, Addr(2), (Token(1), Supply, 1)));
        await first.SaveChangesAsync();
        var conflict = await Assert.ThrowsAnyAsync<Exception>(() => second.SaveChangesAsync());

        Assert.True(EventConflicts.IsConflict(conflict), conflict.ToString());
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(logs.Entries, e => e.Category == "Marten" && e.Level == LogLevel.Debug && e.EventId == 502);
    }
}
