using System.Numerics;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Query;

/// <summary>The chain's judgement of a token: freeFloatFactor's rules at the chain head, never the process clock.</summary>
public sealed class OracleChainStatusTests
{
    private static readonly TokenView s_logView = new(Token(1), new Wad(500_000_000_000_000_000), new TokenAmount(new BigInteger(10)), 1_000, false, 7,
        UpdateStatus.Commit, "Commit", 7);

    private static SupplyOracleContract.TokenView Chain(ulong committedAt, bool frozen = false, bool paused = false, bool initialized = true) =>
        new(true, initialized, frozen, paused, 18, 500_000_000_000_000_000, committedAt, 500_000_000_000_000_000, committedAt, new BigInteger(10));

    [Theory]
    [InlineData(1_100UL, 100L, false)]
    [InlineData(1_120UL, 120L, false)] // block.timestamp == committedAt + reportStaleAfter: not yet stale (strict >)
    [InlineData(1_121UL, 121L, true)]
    public void Apply_ChainTimeAndOnChainStaleAfter_AgeAndStaleAsTheContract(ulong blockTime, long age, bool stale)
    {
        var chain = new OracleChainStatus(50, blockTime, 120, false, new Dictionary<Address, SupplyOracleContract.TokenView> { [Token(1)] = Chain(1_000) });

        var status = chain.Apply(s_logView);

        Assert.Equal((age, stale, false, false), (status.AgeSeconds, status.Stale, status.Frozen, status.Paused));
    }

    [Fact]
    public void Apply_TokenPaused_FrozenAndPaused()
    {
        var chain = new OracleChainStatus(50, 1_010, 120, false, new Dictionary<Address, SupplyOracleContract.TokenView> { [Token(1)] = Chain(1_000, paused: true) });

        var status = chain.Apply(s_logView);

        Assert.Equal((true, true), (status.Frozen, status.Paused));
    }

    [Fact]
    public void Apply_GlobalPause_EveryTokenFrozenAndPaused()
    {
        var chain = new OracleChainStatus(50, 1_010, 120, true, new Dictionary<Address, SupplyOracleContract.TokenView> { [Token(1)] = Chain(1_000) });

        var status = chain.Apply(s_logView);

        Assert.Equal((true, true), (status.Frozen, status.Paused));
    }

    [Fact]
    public void Apply_CommittedLaterOnChainThanInTheLog_AgeFromTheChainsCommittedAt()
    {
        // Another aggregator committed the token after this one's last confirmed commit: the contract's committedAt rules.
        var chain = new OracleChainStatus(50, 2_000, 120, false, new Dictionary<Address, SupplyOracleContract.TokenView> { [Token(1)] = Chain(1_950) });

        var status = chain.Apply(s_logView);

        Assert.Equal((50L, false), (status.AgeSeconds, status.Stale));
    }

    [Fact]
    public void Unknown_NoChain_ChainJudgementsNull()
    {
        var status = OracleChainStatus.Unknown(s_logView);

        Assert.Equal((null, null, null), (status.AgeSeconds, status.Stale, status.Paused));
    }
}
