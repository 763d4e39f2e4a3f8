using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Tests.Chain;

public sealed class TokenPlanTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    [Fact]
    public void Default_EveryToken_HoldingsSumToTotalSupply()
    {
        foreach (var plan in TokenPlan.Default)
        {
            Assert.Equal(plan.TotalSupply, plan.Holdings.Aggregate(BigInteger.Zero, (sum, h) => sum + h.Amount));
            Assert.All(plan.Holdings, h => Assert.True(h.Amount > 0, $"{plan.Symbol} {h.Label} holds nothing"));
            Assert.Equal(TokenPlan.CommunityHolders, plan.Holdings.Count(h => h.Role == HolderRole.Community));
        }
    }

    [Fact]
    public void Default_Holders_AreDistinctPerToken()
    {
        foreach (var plan in TokenPlan.Default)
        {
            Assert.Equal(plan.Holdings.Count, plan.Holdings.Select(h => h.Account).Distinct().Count());
        }
    }

    [Fact]
    public void Create_OddSupply_CommunityTakesTheRemainderExactly()
    {
        var plan = TokenPlan.Create("Odd", "ODD", 0, 1_000_003, treasuryBps: 3_333, vestingBps: 1_111, teamBps: [7], burnBps: 0,
            exchangeColdBps: 1, exchangeHotBps: 0, marketMakerBps: 999);

        Assert.Equal(new BigInteger(1_000_003), plan.Holdings.Aggregate(BigInteger.Zero, (sum, h) => sum + h.Amount));
        Assert.DoesNotContain(plan.Holdings, h => h.Role is HolderRole.Burn or HolderRole.ExchangeHot);
        Assert.Equal(new BigInteger(1_000_003) * 3_333 / 10_000, plan.Of(HolderRole.Treasury).Amount);
    }

    [Fact]
    public void Create_NamedSharesLeaveNothing_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => TokenPlan.Create("Full", "FUL", 18, 100, treasuryBps: 5_000, vestingBps: 5_000, teamBps: [],
            burnBps: 0, exchangeColdBps: 0, exchangeHotBps: 0, marketMakerBps: 0));
        Assert.Contains("FUL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_DeploymentExclusions_UseTreasuryVestingTeamBurnKinds()
    {
        var kinds = TokenPlan.Default.SelectMany(p => p.Holdings).Select(h => h.DeploymentExclusionKind).OfType<string>().Append("exchange-cold").Distinct().ToArray();
        Assert.Equal(["treasury", "vesting", "team", "burn", "exchange-cold"], kinds);
    }

    [Fact]
    public async Task Encode_EveryKind_IsKnownToTheDeployedRegistry()
    {
        // Differential check against the contract itself (ExcludedAddressRegistry.isKnownKind).
        var client = OracleNetwork.CreateClient(anvil.Node);
        var owner = OracleNetwork.CreateSender(client, 0);
        var registry = await ExcludedAddressRegistryContract.DeployAsync(owner, owner.Address, owner.Address, 3_600, 14 * 86_400);
        foreach (var kind in new[] { "treasury", "vesting", "team", "burn", "exchange-cold" })
        {
            Assert.True(await registry.IsKnownKindAsync(ExclusionKinds.Encode(kind), BlockId.Latest), kind);
        }

        Assert.False(await registry.IsKnownKindAsync(ExclusionKinds.Encode("whale"), BlockId.Latest));
    }
}
