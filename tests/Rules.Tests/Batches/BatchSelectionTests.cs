using SupplyOracle.Rules.Batches;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Batches;

public sealed class BatchSelectionTests
{
    private static ObservationBatch Batch(int reporter, ulong factor, ReportHeader? header = null) =>
        new(Reporter(reporter), header ?? Header(), [new TokenObservation(Token(1), new TokenAmount(10UL), new Wad(factor))]);

    [Fact]
    public void Select_TwoDifferentBatchesFromOneReporter_BothDroppedAndEvidenceKept()
    {
        var first = Batch(0, 5);
        var second = Batch(0, 6);

        var result = BatchSelection.Select(Header(), [first, Batch(1, 5), second]);

        var equivocation = Assert.Single(result.Equivocations);
        Assert.Equal((Reporter(0), first, second), (equivocation.Reporter, equivocation.First, equivocation.Second));
        Assert.Equal([Reporter(1)], result.Observations.Select(o => o.Reporter));
        Assert.Contains(result.Dropped, d => d.Reason == BatchDropReason.Equivocated && d.Batch == first);
    }

    [Fact]
    public void Select_SameBatchTwice_CountsOnce()
    {
        var result = BatchSelection.Select(Header(), [Batch(0, 5), Batch(0, 5)]);

        Assert.Empty(result.Equivocations);
        Assert.Single(result.Observations);
        Assert.Single(result.Used);
    }

    [Fact]
    public void Select_BatchOfOtherRoundOrOtherHash_Dropped()
    {
        var otherRound = Batch(0, 5, Header(round: 11));
        var otherHash = Batch(1, 5, Header() with { ReferenceHash = Contracts.Bindings.Primitives.Hash32.Zero });

        var result = BatchSelection.Select(Header(), [otherRound, otherHash, Batch(2, 5)]);

        Assert.Equal([Reporter(2)], result.Observations.Select(o => o.Reporter));
        Assert.Equal(
            [(otherRound, BatchDropReason.OtherRound), (otherHash, BatchDropReason.HeaderMismatch)],
            result.Dropped.Select(d => (d.Batch, d.Reason)));
    }

    [Fact]
    public void Select_DifferentHeadersSameRound_IsEquivocation()
    {
        var result = BatchSelection.Select(Header(), [Batch(0, 5), Batch(0, 5, Header() with { ReferenceTime = 1 })]);

        Assert.Single(result.Equivocations);
        Assert.Empty(result.Observations);
    }

    [Fact]
    public void Select_Result_FeedsEngine()
    {
        var result = BatchSelection.Select(Header(), [Batch(2, One / 2), Batch(0, One / 2), Batch(1, One / 2)]);

        var outcome = RulesEngine.Evaluate(new RulesInput(Header(), Params(), [TokenState.NeverCommitted(Token(1))], result.Observations));

        Assert.Equal(OutcomeReason.Commit, Assert.Single(outcome.Outcomes).Reason);
        Assert.Equal([Reporter(0), Reporter(1), Reporter(2)], result.Used.Select(b => b.Reporter));
    }
}
