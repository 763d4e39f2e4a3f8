using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Engine;

/// <summary>The report as a whole, and input the engine refuses.</summary>
public sealed partial class RulesEngineTests
{
    [Fact]
    public void Evaluate_MixedTokens_ReportHoldsCommitAndFrozenAscendingOutcomesForAll()
    {
        var (a, b, c, d, unlisted) = (Token(1), Token(2), Token(3), Token(4), Token(9));
        var state = new[] { Committed(d, Half), Committed(c, Half), Committed(b, Half), TokenState.NeverCommitted(a) };
        var observations = Factors(a, P60, P60, P60)
            .Concat(Factors(b, 1, Half, One)) // diverges
            .Concat(Factors(c, Half, Half)) // no quorum
            .Concat(Factors(d, Half, Half, Half))
            .Concat(Factors(unlisted, Half, Half, Half));

        var result = RulesEngine.Evaluate(Input(state, observations));

        Assert.Equal(
            [(a, OutcomeReason.Commit), (b, OutcomeReason.FrozenDivergence), (c, OutcomeReason.NoQuorum), (d, OutcomeReason.Commit), (unlisted, OutcomeReason.Unlisted)],
            result.Outcomes.Select(o => (o.Token, o.Reason)));
        Assert.Equal([a, b, d], result.Report.Updates.Select(u => u.Token));
        Assert.True(result.ShouldPropose);
        Assert.Equal(Header(), result.Report.Header);
        var bytes = result.Report.EncodeUpdates();
        Assert.Equal(3 * 45, bytes.Length);
        Assert.Equal(result.Report.Updates, UpdateEncoding.Decode(bytes));
    }

    [Fact]
    public void IsIdenticalTo_ProposalChangedInOneByteOrHeader_False()
    {
        var report = RulesEngine.Evaluate(Input([Committed(T, Half)], Factors(T, P60, P60, P60))).Report;
        var bytes = report.EncodeUpdates();

        Assert.True(report.IsIdenticalTo(Header(), bytes));
        bytes[^2] ^= 1;
        Assert.False(report.IsIdenticalTo(Header(), bytes));
        Assert.False(report.IsIdenticalTo(Header() with { ReferenceTime = Now + 1 }, report.EncodeUpdates()));
    }

    [Fact]
    public void Evaluate_OnlyTooSoonAndNoQuorum_NotProposed()
    {
        var state = new[] { Committed(Token(1), Half, committedAt: Now), Committed(Token(2), Half) };

        var result = RulesEngine.Evaluate(Input(state, Factors(Token(1), Half, Half, Half)));

        Assert.False(result.ShouldPropose);
        Assert.Equal([OutcomeReason.TooSoon, OutcomeReason.NoQuorum], result.Outcomes.Select(o => o.Reason));
    }

    [Fact]
    public void Evaluate_ObservationFromUnregisteredReporter_ThrowsNamingField()
    {
        var ex = Assert.Throws<RulesInputException>(() => RulesEngine.Evaluate(Input([Committed(T, Half)], [Obs(42, T, Half)])));

        Assert.Equal(("observations[0].reporter", RulesInputError.UnknownReporter), (ex.Field, ex.Error));
    }

    [Fact]
    public void Evaluate_ReporterObservesTokenTwice_ThrowsDuplicate()
    {
        var ex = Assert.Throws<RulesInputException>(() => RulesEngine.Evaluate(Input([Committed(T, Half)], [Obs(0, T, Half), Obs(1, T, Half), Obs(0, T, One)])));

        Assert.Equal(("observations[2]", RulesInputError.Duplicate), (ex.Field, ex.Error));
    }

    [Fact]
    public void Evaluate_ReferenceBlockNotRoundTimesRoundBlocks_Throws()
    {
        var input = Input([Committed(T, Half)], []) with { Header = Header() with { ReferenceBlock = 3001 } };

        var ex = Assert.Throws<RulesInputException>(() => RulesEngine.Evaluate(input));

        Assert.Equal(("referenceBlock", RulesInputError.Inconsistent), (ex.Field, ex.Error));
    }

    [Fact]
    public void Evaluate_TwoStateEntriesForOneToken_ThrowsDuplicate()
    {
        var ex = Assert.Throws<RulesInputException>(() => RulesEngine.Evaluate(Input([Committed(T, Half), Committed(T, One)], [])));

        Assert.Equal(("state[1].token", RulesInputError.Duplicate), (ex.Field, ex.Error));
    }

    [Theory]
    [InlineData("factor")]
    [InlineData("anchor")]
    [InlineData("circulating")]
    [InlineData("frozen")]
    public void Evaluate_InconsistentTokenState_ThrowsNamingField(string field)
    {
        var state = field switch
        {
            "factor" => Committed(T, Half) with { Factor = Wad.Zero },
            "anchor" => Committed(T, Half) with { Anchor = Wad.Zero },
            "circulating" => Committed(T, Half) with { Circulating = TokenAmount.MaxUInt256 },
            _ => TokenState.NeverCommitted(T) with { Frozen = true },
        };

        var ex = Assert.Throws<RulesInputException>(() => RulesEngine.Evaluate(Input([state], [])));

        Assert.Equal("state[0]." + field, ex.Field);
    }

    [Fact]
    public void Evaluate_SameInputShuffled_ByteIdenticalReport()
    {
        var state = new[] { Committed(Token(1), Half), Committed(Token(2), P60) };
        var observations = Factors(Token(1), P60, Half, P80).Concat(Factors(Token(2), P60, P60, Half)).ToArray();

        var first = RulesEngine.Evaluate(Input(state, observations));
        var second = RulesEngine.Evaluate(Input(state.Reverse(), observations.Reverse()));

        Assert.Equal(first.Report.EncodeUpdates(), second.Report.EncodeUpdates());
        Assert.Equal(first.Outcomes.Select(o => o.NewState), second.Outcomes.Select(o => o.NewState));
    }
}
