using SupplyOracle.Devnet.Chaos;

namespace SupplyOracle.Devnet.Tests.Chaos;

public sealed class ChaosVerdictTests
{
    private const string Policy = "no Commit and no Frozen entry: nothing to propose; 4 token(s) left out by the commit policy (Unchanged or StillFrozen, docs/protocol.md section 5 step 12)";
    private const string BelowQuorum = "below quorum at the deadline: 2 valid batch(es), minReporters 3";
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    // Rounds 10..13, one block a second from block 100 at t0; rounds 10 and 12 committed, 11 and 13 quiet.
    private static ChaosObservations Healthy() => new(10, 13, 10, 2, TimeSpan.FromSeconds(6),
        [new ChainCommit(10, 105, 0, "0xa"), new ChainCommit(12, 125, 0, "0xc")],
        [new TransmitterTransaction("0xa", 0, true, true), new TransmitterTransaction("0xc", 1, true, true)],
        2,
        [
            new ApiRound(10, "confirmed", "0xa", 105, null, 0), new ApiRound(11, "abandoned", null, null, Policy, 0),
            new ApiRound(12, "confirmed", "0xc", 125, null, 0), new ApiRound(13, "abandoned", null, null, Policy, 0),
        ],
        [],
        [.. Enumerable.Range(100, 60).Select(b => ((ulong)b, s_t0.AddSeconds(b - 100)))],
        [new JournalCheck("reporter-1", true, "")]);

    [Fact]
    public void Judge_HealthyRun_NoFailureNoLostRound()
    {
        var verdict = ChaosVerdict.Judge(Healthy());

        Assert.Empty(verdict.SafetyFailures);
        Assert.Empty(verdict.AvailabilityFailures);
        Assert.Empty(verdict.Lost);
    }

    [Fact]
    public void Judge_RoundCommittedTwice_SafetyFailure()
    {
        var o = Healthy() with { Commits = [.. Healthy().Commits, new ChainCommit(12, 127, 0, "0xd")] };

        var verdict = ChaosVerdict.Judge(o);

        Assert.Contains(verdict.SafetyFailures, f => f.Contains("round 12 committed 2 times", StringComparison.Ordinal));
        Assert.Contains(verdict.SafetyFailures, f => f.Contains("after round 12", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_NonceBeyondCommitsAndReverts_SafetyFailure()
    {
        var verdict = ChaosVerdict.Judge(Healthy() with { TransmitterNonce = 3 });

        Assert.Contains(verdict.SafetyFailures, f => f.Contains("nonce 3 != 2 commits + 0 reverted", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_RevertedTransaction_CountsInTheNonce()
    {
        var o = Healthy() with { Transactions = [.. Healthy().Transactions, new TransmitterTransaction("0xe", 2, false, false)], TransmitterNonce = 3 };

        Assert.Empty(ChaosVerdict.Judge(o).SafetyFailures);
    }

    [Fact]
    public void Judge_ApiDisagreesWithTheChain_LostDataAndSafetyFailure()
    {
        var o = Healthy() with { Rounds = [.. Healthy().Rounds.Where(r => r.Round != 12), new ApiRound(12, "transmitted", "0xc", null, null, 0)] };

        var verdict = ChaosVerdict.Judge(o);

        Assert.Contains(verdict.SafetyFailures, f => f.StartsWith("round 12 committed on chain", StringComparison.Ordinal));
        Assert.Contains(verdict.Lines, l => l.StartsWith("lost data (commits the API does not show as on chain): 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_ConfirmedInTheApiOnly_SafetyFailure()
    {
        var o = Healthy() with { Rounds = [.. Healthy().Rounds.Where(r => r.Round != 13), new ApiRound(13, "confirmed", "0xf", 135, null, 0)] };

        Assert.Contains(ChaosVerdict.Judge(o).SafetyFailures, f => f == "round 13 is confirmed in the API but not committed on chain");
    }

    [Fact]
    public void Judge_AbandonedWithoutReasonOrStillOpen_SafetyFailure()
    {
        var o = Healthy() with
        {
            Rounds = [.. Healthy().Rounds.Where(r => r.Round is not (11 or 13)), new ApiRound(11, "abandoned", null, null, null, 0), new ApiRound(13, "proposed", null, null, null, 0)],
        };

        var verdict = ChaosVerdict.Judge(o);

        Assert.Contains("round 11 is abandoned without a reason", verdict.SafetyFailures);
        Assert.Contains("round 13 is still proposed long after its deadline", verdict.SafetyFailures);
    }

    [Fact]
    public void Judge_DamagedJournalOrEquivocation_SafetyFailure()
    {
        var o = Healthy() with
        {
            Journals = [new JournalCheck("reporter-2", false, "checksum mismatch")],
            Rounds = [.. Healthy().Rounds.Where(r => r.Round != 11), new ApiRound(11, "abandoned", null, null, Policy, 1)],
        };

        var verdict = ChaosVerdict.Judge(o);

        Assert.Contains("reporter-2's signing journal is damaged: checksum mismatch", verdict.SafetyFailures);
        Assert.Contains("1 equivocation(s) recorded", verdict.SafetyFailures);
    }

    [Fact]
    public void Judge_RoundLostDuringAReporterKill_BlamedOnItAndOverTheBound()
    {
        var kill = new InjectedFault(new PlannedFault(1, FaultKind.ReporterKill, TimeSpan.Zero, TimeSpan.FromSeconds(2), 2),
            s_t0.AddSeconds(9), s_t0.AddSeconds(12), "pid 1 killed");
        var o = Healthy() with
        {
            Faults = [kill],
            Rounds = [.. Healthy().Rounds.Where(r => r.Round != 11), new ApiRound(11, "abandoned", null, null, BelowQuorum, 0)],
        };

        var verdict = ChaosVerdict.Judge(o);

        Assert.Empty(verdict.SafetyFailures);
        var lost = Assert.Single(verdict.Lost);
        Assert.Equal((11UL, "below quorum"), (lost.Round, lost.Why));
        Assert.Same(kill, lost.Fault);
        Assert.Contains(verdict.AvailabilityFailures, f => f.Contains("lost 1 round(s) (11 below quorum); at most 0 allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_OneRoundLostPerAggregatorRestart_WithinTheBound()
    {
        var kill = new InjectedFault(new PlannedFault(1, FaultKind.AggregatorKill, TimeSpan.Zero, TimeSpan.FromSeconds(2), 0),
            s_t0.AddSeconds(9), s_t0.AddSeconds(14), "pid 1 killed");
        var o = Healthy() with { Faults = [kill], Rounds = [.. Healthy().Rounds.Where(r => r.Round != 11)] };

        var verdict = ChaosVerdict.Judge(o);

        var lost = Assert.Single(verdict.Lost);
        Assert.Equal((11UL, "unrecorded"), (lost.Round, lost.Why));
        Assert.Empty(verdict.AvailabilityFailures);
        Assert.Equal(1, ChaosVerdict.RoundsToRecovery(o, verdict.Lost, kill));
    }

    [Fact]
    public void Judge_LostRoundWithNoFaultNearIt_AvailabilityFailure()
    {
        var o = Healthy() with { Rounds = [.. Healthy().Rounds.Where(r => r.Round != 13), new ApiRound(13, "abandoned", null, null, BelowQuorum, 0)] };

        Assert.Contains("round 13 lost (below quorum) with no fault near it", ChaosVerdict.Judge(o).AvailabilityFailures);
    }
}
