using Marten;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Tests.Support;
using System.Numerics;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Projections;

/// <summary>The query projection on a real PostgreSQL event store, driven by the aggregator's own event records.</summary>
public sealed class QueryProjectionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly BigInteger Supply = BigInteger.Parse("1000000000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ApplyAsync_AcceptedBatches_RoundCountsAndReporterParticipation()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(
            Accepted(5, Addr(1), (Token(1), Supply, 500_000_000_000_000_000), (Token(2), Supply, 1)),
            Accepted(5, Addr(2), (Token(1), Supply, 510_000_000_000_000_000)),
            Accepted(6, Addr(1), (Token(1), Supply, 520_000_000_000_000_000)));

        await log.CatchUpAsync();

        var reader = log.Reader();
        var round5 = (await reader.GetRoundAsync(5))!;
        Assert.Equal("observing", round5.Round.Phase);
        Assert.Equal(2, round5.Round.Batches);
        Assert.Equal(3, round5.Round.TokenObservations);
        Assert.Equal(50UL, round5.Round.ReferenceBlock);
        Assert.Equal(1_700_000_600UL, round5.Round.ReferenceTime);
        Assert.Equal([IntakeEventNames.ObservationAccepted, IntakeEventNames.ObservationAccepted], round5.Timeline.Select(t => t.Event));
        var reporters = await reader.ListReportersAsync();
        Assert.Equal([Addr(1), Addr(2)], reporters.Select(r => r.Reporter));
        Assert.Equal(2, reporters[0].BatchesAccepted);
        Assert.Equal(3, reporters[0].TokenObservations);
        Assert.Equal(6UL, reporters[0].LastObservedRound);
        Assert.Equal(5UL, reporters[1].LastObservedRound);
        Assert.Equal([6UL, 5UL], (await reader.ListRoundsAsync(null, 10)).Select(r => r.Round));
        Assert.Equal([5UL], (await reader.ListRoundsAsync(6, 10)).Select(r => r.Round));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 4)]
    [InlineData(3, 7)]
    [InlineData(4, 8)]
    public async Task ApplyAsync_RoundClosed_MedianSupplyBaseAndDisagreementsMatchRulesEngine(int seed, int reporterCount)
    {
        // Differential: the projection's SQL (docs/protocol.md section 5 steps 3 and 4) against the rules engine's figures.
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        var random = new Random(seed);
        var tokens = Enumerable.Range(1, 4).Select(Token).ToArray();
        var reporters = Enumerable.Range(1, reporterCount).Select(Addr).ToArray();
        var supplies = new[] { Supply, Supply + 1, Supply - 7 };
        var observations = new List<Observation>();
        foreach (var reporter in reporters)
        {
            var entries = tokens.Where(_ => random.Next(5) > 0)
                .Select(t => (Token: t, Circulating: supplies[random.Next(random.Next(2) == 0 ? 1 : supplies.Length)], Factor: (ulong)random.NextInt64(1, 1_000_000_000_000_000_001)))
                .ToArray();
            if (entries.Length == 0)
            {
                continue;
            }

            observations.AddRange(entries.Select(e => new Observation(reporter, e.Token, new TokenAmount(e.Circulating), new Rules.Domain.Wad(e.Factor))));
            await log.AppendAsync(Accepted(9, reporter, entries));
        }

        var result = RulesEngine.Evaluate(new RulesInput(new ReportHeader(new Rules.Domain.RoundId(9), 2700, 1_700_000_000, Hash32.Zero),
            new Rules.Parameters.RulesParameters { MinReporters = 1, RoundBlocks = 300, Reporters = reporters },
            [.. tokens.Select(TokenState.NeverCommitted)], observations));
        await log.AppendAsync(Closed(9, null, [.. result.Outcomes.Select(o => (o.Token, o.InReport, o.Reason.ToString()))]));
        await log.CatchUpAsync();

        foreach (var outcome in result.Outcomes.Where(o => o.Figures.ObservationCount > 0))
        {
            var history = (await log.Reader().GetTokenHistoryAsync(outcome.Token))!;
            Assert.Equal(outcome.Figures.Median, Assert.Single(history).Median);
            var figures = (await log.LoadAsync<RoundTokensDocument>(9L))!.Tokens[Hex.Encode(outcome.Token.ToArray())];
            Assert.Equal(outcome.Figures.SupplyBase!.Value.Value, BigInteger.Parse(figures.SupplyBase!, System.Globalization.CultureInfo.InvariantCulture));
        }

        var disagreeing = result.Outcomes.SelectMany(o => o.Figures.Disagreeing).GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        foreach (var reporter in await log.Reader().ListReportersAsync())
        {
            Assert.Equal(disagreeing.GetValueOrDefault(reporter.Reporter), reporter.Disagreements);
            Assert.Equal(disagreeing.ContainsKey(reporter.Reporter) ? 1 : 0, reporter.DisagreementRounds);
            Assert.Equal(9UL, reporter.LastMedianRound);
        }
    }

    [Fact]
    public async Task ApplyAsync_ReporterFactors_DistanceFromMedianInBps()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        // Median of {0.50, 0.51, 0.60} is 0.51: distances 196 bps (floor of 196.07...), 0, 1764 bps (floor of 1764.7...).
        await log.AppendAsync(
            Accepted(3, Addr(1), (Token(1), Supply, 500_000_000_000_000_000)),
            Accepted(3, Addr(2), (Token(1), Supply, 510_000_000_000_000_000)),
            Accepted(3, Addr(3), (Token(1), Supply + 1, 600_000_000_000_000_000)),
            Closed(3, null, (Token(1), true, "Commit")));
        await log.CatchUpAsync();

        var reporters = await log.Reader().ListReportersAsync();
        Assert.Equal([196L, 0L, 1764L], reporters.Select(r => r.LastMedianDistanceBps!.Value));
        Assert.Equal([196d, 0d, 1764d], reporters.Select(r => r.MeanMedianDistanceBps!.Value));
        Assert.Equal([0, 0, 1], reporters.Select(r => r.Disagreements));
        Assert.Equal(510_000_000_000_000_000UL, (await log.Reader().GetTokenHistoryAsync(Token(1)))![0].Median!.Value.Raw);
        Assert.Equal(0, await log.CountAsync<RoundObservationsDocument>()); // pruned at close
    }

    [Fact]
    public async Task ApplyAsync_Equivocation_BothBatchesDroppedFromMedianAndCountedOncePerRound()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        var first = Accepted(4, Addr(3), (Token(1), Supply, 900_000_000_000_000_000));
        var second = Accepted(4, Addr(3), (Token(1), Supply, 100_000_000_000_000_000));
        await log.AppendAsync(
            Accepted(4, Addr(1), (Token(1), Supply, 400_000_000_000_000_000)),
            Accepted(4, Addr(2), (Token(1), Supply, 420_000_000_000_000_000)),
            first,
            new EquivocationDetected(4, Addr(3).ToChecksumString(), first.Digest, second),
            new EquivocationDetected(4, Addr(3).ToChecksumString(), first.Digest, second with { Digest = "0x01" }),
            Closed(4, [Addr(3)], (Token(1), true, "Commit")));
        await log.CatchUpAsync();

        var equivocator = (await log.Reader().ListReportersAsync()).Single(r => r.Reporter == Addr(3));
        Assert.Equal(1, equivocator.Equivocations);
        Assert.Equal(4UL, equivocator.LastEquivocationRound);
        Assert.Null(equivocator.LastMedianRound);
        Assert.Equal(410_000_000_000_000_000UL, (await log.Reader().GetTokenHistoryAsync(Token(1)))![0].Median!.Value.Raw);
        Assert.Equal(1, (await log.Reader().GetRoundAsync(4))!.Round.Equivocations);
    }

    /// <summary>
    /// Protocol 1.1, section 5 step 12: operators see per token and round why a token was not committed (Unchanged,
    /// StillFrozen), while the committed state stays the one of the last commit.
    /// </summary>
    [Fact]
    public async Task ApplyAsync_RoundLeavesTokensOutByCommitPolicy_ReasonPerTokenAndRoundCommittedStateKept()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(
            Accepted(7, Addr(1), (Token(1), Supply, 500_000_000_000_000_000), (Token(2), Supply, 300_000_000_000_000_000)),
            Closed(7, null, (Token(1), true, "Commit"), (Token(2), true, "FrozenSupply")),
            Proposed(7, (Token(1), (UInt128)Supply, 500_000_000_000_000_000, UpdateStatus.Commit), (Token(2), (UInt128)Supply, 300_000_000_000_000_000, UpdateStatus.FrozenSupply)),
            Intended(7, Addr(1), Addr(2)),
            Confirmed(7),
            Accepted(8, Addr(1), (Token(1), Supply, 500_000_000_000_000_000), (Token(2), Supply, 300_000_000_000_000_000)),
            Closed(8, null, (Token(1), false, "Unchanged"), (Token(2), false, "StillFrozen")),
            new RoundAbandoned(8, "nothing to propose"));
        await log.CatchUpAsync();

        var reader = log.Reader();
        var unchanged = (await reader.GetTokenAsync(Token(1)))!;
        Assert.Equal(("Unchanged", 8UL), (unchanged.LastOutcome, unchanged.LastOutcomeRound));
        Assert.Equal((7UL, 500_000_000_000_000_000UL), (unchanged.Round, unchanged.Factor!.Value.Raw));
        var frozen = (await reader.GetTokenAsync(Token(2)))!;
        Assert.Equal(("StillFrozen", 8UL), (frozen.LastOutcome, frozen.LastOutcomeRound));
        Assert.True(frozen.Frozen);
        var history = (await reader.GetTokenHistoryAsync(Token(1)))!;
        Assert.Contains(history, h => h.Round == 8 && h.Outcome == "left-out" && h.Reason == "Unchanged");
        Assert.Contains((await reader.GetTokenHistoryAsync(Token(2)))!, h => h.Round == 8 && h.Outcome == "left-out" && h.Reason == "StillFrozen");
    }

    [Fact]
    public async Task ApplyAsync_ProposedTransmittedConfirmed_TokenStateHistoryAndTimeline()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(
            Accepted(7, Addr(1), (Token(1), Supply, 500_000_000_000_000_000), (Token(2), Supply, 300_000_000_000_000_000)),
            Closed(7, null, (Token(1), true, "Commit"), (Token(2), false, "NoQuorum")),
            Proposed(7, (Token(1), (UInt128)Supply, 500_000_000_000_000_000, UpdateStatus.Commit)),
            Intended(7, Addr(1), Addr(2)),
            Confirmed(7, gas: 98_765));
        await log.CatchUpAsync();

        var reader = log.Reader();
        var token = (await reader.GetTokenAsync(Token(1)))!;
        Assert.Equal(500_000_000_000_000_000UL, token.Factor!.Value.Raw);
        Assert.Equal(Supply, token.Circulating!.Value.Value);
        Assert.Equal(1_700_000_840UL, token.CommittedAt);
        Assert.Equal(7UL, token.Round);
        Assert.Equal(UpdateStatus.Commit, token.LastStatus);
        Assert.False(token.Frozen);
        var leftOut = (await reader.GetTokenAsync(Token(2)))!;
        Assert.Null(leftOut.Factor);
        Assert.Equal("NoQuorum", leftOut.LastOutcome);
        Assert.Equal(("committed", "Commit"), ((await reader.GetTokenHistoryAsync(Token(1)))![0].Outcome, (await reader.GetTokenHistoryAsync(Token(1)))![0].Reason));
        Assert.Equal(("left-out", "NoQuorum"), ((await reader.GetTokenHistoryAsync(Token(2)))![0].Outcome, (await reader.GetTokenHistoryAsync(Token(2)))![0].Reason));

        var round = (await reader.GetRoundAsync(7))!;
        Assert.Equal("confirmed", round.Round.Phase);
        Assert.Equal(2, round.Round.Attestations);
        Assert.Equal(98_765UL, round.Round.GasUsed);
        Assert.Equal(77UL, round.Round.CommitBlock);
        Assert.Equal(Confirmed(7).TransactionHash, round.Round.TransactionHash);
        Assert.Equal(1, round.Round.Updates);
        Assert.Equal([IntakeEventNames.ObservationAccepted, RoundEventNames.RoundClosed, RoundEventNames.RoundProposed,
            TransmissionEventNames.TransmissionIntended, TransmissionEventNames.RoundConfirmed], round.Timeline.Select(t => t.Event));
        Assert.True(round.Timeline.Zip(round.Timeline.Skip(1)).All(p => p.First.Position < p.Second.Position && p.First.At <= p.Second.At));
        var attester = (await reader.ListReportersAsync()).Single(r => r.Reporter == Addr(2));
        Assert.Equal((1, 7UL), (attester.Attestations, attester.LastAttestedRound!.Value));
    }

    [Fact]
    public async Task ApplyAsync_FrozenAfterCommit_FactorKeptCommittedAtKeptFrozenSet()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(
            Proposed(10, (Token(1), 1000, 400_000_000_000_000_000, UpdateStatus.Commit)), Confirmed(10),
            Accepted(11, Addr(1), (Token(1), 1000, 900_000_000_000_000_000)),
            Closed(11, null, (Token(1), true, "FrozenDivergence")),
            Proposed(11, (Token(1), 1000, 400_000_000_000_000_000, UpdateStatus.FrozenDivergence)),
            Intended(11, Addr(1)),
            Confirmed(11));
        await log.CatchUpAsync();

        var token = (await log.Reader().GetTokenAsync(Token(1)))!;
        Assert.True(token.Frozen);
        Assert.Equal(UpdateStatus.FrozenDivergence, token.LastStatus);
        Assert.Equal(11UL, token.Round);
        Assert.Null(token.CommittedAt); // round 10 had no accepted batch, hence no reference time; the freeze does not set it
        Assert.Equal("frozen", (await log.Reader().GetTokenHistoryAsync(Token(1)))![0].Outcome);
        Assert.Equal([11UL, 10UL], (await log.Reader().GetTokenHistoryAsync(Token(1)))!.Select(h => h.Round));
    }

    [Fact]
    public async Task ApplyAsync_AbandonedSupersededFailed_PhasesReasonsTimelineAndHistory()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(
            Closed(12, null, (Token(1), false, "TooSoon")), new RoundAbandoned(12, "nothing to propose"),
            Closed(13, null, (Token(1), true, "Commit")), Proposed(13, (Token(1), 5, 7, UpdateStatus.Commit)), new RoundSuperseded(13, 14),
            Closed(15, null, (Token(1), true, "Commit")), Proposed(15, (Token(1), 5, 7, UpdateStatus.Commit)), Intended(15, Addr(1)),
            new TransmissionReplaced(15, 3, "0xaa", "0xbb", "0x02", "2000000000", "1000000000"),
            new TransmissionReorganised(15, "0xbb", 151, "0xcc"),
            new RoundFailed(15, "Mined", "ReferenceHashMismatch", "reverted", "0xbb", 152));
        await log.CatchUpAsync();

        var reader = log.Reader();
        var abandoned = (await reader.GetRoundAsync(12))!.Round;
        var superseded = (await reader.GetRoundAsync(13))!.Round;
        Assert.Equal(("abandoned", "nothing to propose"), (abandoned.Phase, abandoned.EndReason));
        Assert.Equal("superseded", superseded.Phase);
        Assert.Contains("14", superseded.EndReason, StringComparison.Ordinal);
        var failed = (await reader.GetRoundAsync(15))!;
        Assert.Equal(("failed", "Mined: ReferenceHashMismatch"), (failed.Round.Phase, failed.Round.EndReason));
        Assert.Equal([TransmissionEventNames.TransmissionReplaced, TransmissionEventNames.TransmissionReorganised, TransmissionEventNames.RoundFailed],
            failed.Timeline.Skip(3).Select(t => t.Event));
        Assert.Contains("reorganised away", failed.Timeline[4].Detail, StringComparison.Ordinal);
        Assert.Empty((await log.LoadAsync<QueryTotalsDocument>(QueryTotalsDocument.TheId))!.IgnoredEvents);
        var history = (await reader.GetTokenHistoryAsync(Token(1)))!;
        Assert.Equal([("failed", 15UL), ("superseded", 13UL), ("left-out", 12UL)], history.Select(h => (h.Outcome, h.Round)));
        Assert.Null((await reader.GetTokenAsync(Token(1)))!.Factor);
    }

    [Fact]
    public async Task ApplyAsync_EventTypesNotProjected_IgnoredCountedAndShownOnRoundTimeline()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(Accepted(8, Addr(1), (Token(1), Supply, 5)));
        await log.AppendAsync(new RoundOpened(8, 16, 17, 1_700_000_000, 5));
        await log.AppendAsync(new AttestationAccepted(8, "agg/8", "0x01", Addr(1).ToChecksumString(), "0x02"));
        await log.AppendAsync(new SenderBalanceLow(Addr(200).ToChecksumString(), "1", "2"));
        await log.AppendAsync(Closed(8, null, (Token(1), false, "NoQuorum")));

        await log.CatchUpAsync();

        Assert.Equal(3L, (await log.LoadAsync<QueryTotalsDocument>(QueryTotalsDocument.TheId))!.IgnoredEvents.Values.Sum());
        var round = (await log.Reader().GetRoundAsync(8))!;
        Assert.Equal([IntakeEventNames.ObservationAccepted, "round-opened.v1", "attestation-accepted.v1", RoundEventNames.RoundClosed],
            round.Timeline.Select(t => t.Event));
        Assert.Equal("closed", round.Round.Phase);
        Assert.Equal(await log.HeadAsync(), await log.CheckpointAsync());
    }

    [Fact]
    public async Task ApplyAsync_KnownTypeWithMalformedBody_TypedExceptionAndCheckpointNotMoved()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(Accepted(5, Addr(1), (Token(1), Supply, 5)), new RoundClosed(5, 50, 1, [], ["not-an-outcome"]));

        var error = await Record.ExceptionAsync(log.CatchUpAsync);

        var projectionError = FindInner<ProjectionEventException>(error);
        Assert.True(projectionError is not null, $"{error}; rounds {await log.CountAsync<RoundDocument>()}, checkpoint {await log.CheckpointAsync()}, dead letters {await log.ScalarAsync<long>("SELECT count(*) FROM eventstore.mt_doc_deadletterevent")}");
        Assert.Equal((2L, RoundEventNames.RoundClosed), (projectionError.Position, projectionError.EventType));
        Assert.Equal(0, await log.CountAsync<RoundDocument>()); // the page rolled back with its progress
        Assert.Equal(0L, await log.CheckpointAsync());
    }

    [Fact]
    public async Task ApplyAsync_Rejections_AttributedOnlyToRecoveredSigner()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await log.AppendAsync(
            new ObservationRejected(3, "StaleRound", "old", "0x01", Addr(1).ToString(), Addr(1).ToChecksumString(), "peer"),
            new ObservationRejected(3, "StaleRound", "old", "0x02", Addr(1).ToString(), Addr(1).ToChecksumString(), "peer"),
            new ObservationRejected(3, "NotCanonical", "reorg", "0x03", null, Addr(1).ToChecksumString(), "peer"),
            new ObservationRejected(3, "BadSignature", "bad", null, Addr(2).ToString(), null, "peer"),
            new ObservationRejected(3, "UnknownSigner", "who", "0x04", Addr(9).ToString(), null, "peer"));
        await log.CatchUpAsync();

        var reporter = Assert.Single(await log.Reader().ListReportersAsync());
        Assert.Equal(Addr(1), reporter.Reporter);
        Assert.Equal(new Dictionary<string, int> { ["NotCanonical"] = 1, ["StaleRound"] = 2 }, reporter.Rejections);
    }

    [Fact]
    public async Task RebuildAsync_AfterLiveProcessingPageByPage_RebuiltEqualsLiveForEveryProjection()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        var first = Accepted(21, Addr(3), (Token(1), Supply, 9));
        // Live: the daemon applies the events page by page as they arrive (rounds 20 and 21 open across pages).
        object[][] pages =
        [
            [Accepted(20, Addr(1), (Token(1), Supply, 400_000_000_000_000_000), (Token(2), Supply, 7))],
            [Accepted(20, Addr(2), (Token(1), Supply + 1, 410_000_000_000_000_000)), Accepted(21, Addr(1), (Token(1), Supply, 8))],
            [Closed(20, null, (Token(1), true, "Commit"), (Token(2), false, "NoQuorum"))],
            [Proposed(20, (Token(1), (UInt128)Supply, 400_000_000_000_000_000, UpdateStatus.Commit)), Intended(20, Addr(1), Addr(2))],
            [Confirmed(20), new ObservationRejected(21, "StaleRound", "old", null, null, Addr(2).ToChecksumString(), "peer"), first],
            [new EquivocationDetected(21, Addr(3).ToChecksumString(), first.Digest, first with { Digest = "0x02" })],
            [Closed(21, [Addr(3)], (Token(1), false, "NoQuorum")), new RoundAbandoned(21, "nothing"), new RoundOpened(21, 42, 43, 1_700_000_000, 5)],
            [Accepted(22, Addr(1), (Token(2), Supply, 5))],
        ];
        foreach (var page in pages)
        {
            await log.AppendAsync(page);
            await log.CatchUpAsync();
        }

        var live = await QueryProjection.DigestAsync(log.Store);
        var liveLedgers = await LedgersAsync(log);

        await AggregatorEventStore.RebuildQueryProjectionAsync(log.Store, log.Schema, TimeSpan.FromSeconds(60), default);
        using (var daemon = await log.Store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<RoundLedger>(TimeSpan.FromSeconds(60), default);
        }

        Assert.Equal(live, await QueryProjection.DigestAsync(log.Store));
        Assert.Equal(liveLedgers, await LedgersAsync(log));
        Assert.All(live.Split(';', StringSplitOptions.RemoveEmptyEntries), d => Assert.DoesNotContain(":0:", d, StringComparison.Ordinal)); // every view has documents
        Assert.Equal(await log.HeadAsync(), await log.CheckpointAsync());
    }

    private static async Task<string> LedgersAsync(QueryLog log)
    {
        await using var session = log.Store.QuerySession();
        var ledgers = await session.Query<RoundLedger>().ToListAsync();
        Assert.NotEmpty(ledgers);
        return string.Join("\n", ledgers.OrderBy(l => l.Id, StringComparer.Ordinal).Select(l => System.Text.Json.JsonSerializer.Serialize(l)));
    }

    private static T? FindInner<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(FindInner<T>).FirstOrDefault(x => x is not null);
            }
        }

        return null;
    }
}
