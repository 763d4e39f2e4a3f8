using JasperFx.Events.Daemon;
using Npgsql;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Projections;

/// <summary>
/// Upgrading from the previous release (main at 7752865): its Marten log stays, its hand-written SQL read model
/// (Fixtures/previous-release-query-schema.sql, caught up to the log's head under the projection name
/// <c>aggregator-query</c>) is dropped at start, and the query documents are built from the first event.
/// </summary>
public sealed class QueryUpgradeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly System.Numerics.BigInteger Supply = System.Numerics.BigInteger.Pow(10, 24);

    [Fact]
    public async Task StartAsync_DatabaseOfThePreviousRelease_DropsItsQueryTablesAndBuildsTheDocumentsFromEveryEvent()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using (var old = await CreateAsync(database))
        {
            await old.AppendAsync(
                Accepted(7, Addr(1), (Token(1), Supply, 500_000_000_000_000_000)),
                Accepted(7, Addr(2), (Token(1), Supply, 520_000_000_000_000_000)),
                Closed(7, null, (Token(1), true, "Commit")),
                Proposed(7, (Token(1), (UInt128)Supply, 510_000_000_000_000_000, UpdateStatus.Commit)),
                Intended(7, Addr(1), Addr(2)),
                Confirmed(7),
                Closed(8, null, (Token(1), false, "NoQuorum")),
                new RoundAbandoned(8, "nothing to propose"));
        }

        await using var dataSource = NpgsqlDataSource.Create(database);
        await ExecuteAsync(dataSource, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "previous-release-query-schema.sql")));
        await ExecuteAsync(dataSource, """
            INSERT INTO aggregator_query.rounds (round, phase, first_seen_at, updated_position) VALUES (7, 'confirmed', now(), 6);
            INSERT INTO eventstore.mt_event_progression (name, last_seq_id) SELECT 'aggregator-query:All', max(seq_id) FROM eventstore.mt_events;
            """);

        await using var log = await CreateAsync(database, daemon: DaemonMode.HotCold);
        // The replica's own HotCold daemon builds the documents (from the first event: the new projection has no checkpoint).
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (await log.CheckpointAsync() < await log.HeadAsync() && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0L, await log.ScalarAsync<long>("""
            SELECT count(*) FROM information_schema.tables WHERE table_schema = 'aggregator_query' AND table_name NOT LIKE 'mt\_%'
            """));
        Assert.Equal(0L, await log.ScalarAsync<long>("SELECT count(*) FROM eventstore.mt_event_progression WHERE name = 'aggregator-query:All'"));
        var reader = log.Reader();
        var round7 = (await reader.GetRoundAsync(7))!;
        Assert.Equal(("confirmed", 2, 2), (round7.Round.Phase, round7.Round.Batches, round7.Round.Attestations));
        Assert.Equal(6, round7.Timeline.Count);
        Assert.Equal(("abandoned", "nothing to propose"), ((await reader.GetRoundAsync(8))!.Round.Phase, (await reader.GetRoundAsync(8))!.Round.EndReason));
        var token = (await reader.GetTokenAsync(Token(1)))!;
        Assert.Equal((510_000_000_000_000_000UL, 7UL, "NoQuorum"), (token.Factor!.Value.Raw, token.Round!.Value, token.LastOutcome));
        Assert.Equal([8UL, 7UL], (await reader.GetTokenHistoryAsync(Token(1)))!.Select(h => h.Round));
        Assert.Equal([Addr(1), Addr(2)], (await reader.ListReportersAsync()).Select(r => r.Reporter));
        Assert.Equal(RoundEventNames.RoundAbandoned, (await reader.GetRoundAsync(8))!.Timeline[^1].Event);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
