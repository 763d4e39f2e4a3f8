using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Devnet.Tests.Chain;

public sealed class DevnetParametersTests
{
    [Fact]
    public void Oracle_FiveReporters_ValidPerProtocolSection8()
    {
        var reporters = Enumerable.Range(1, 5).Select(i => TokenPlan.Derive("TEST", $"reporter-{i}")).ToArray();
        OracleSnapshot.ToRulesParameters(DevnetParameters.Oracle, reporters).Validate();
    }

    [Fact]
    public void Oracle_Cooldown_ShorterThanARound()
    {
        // Every round may commit: the cooldown (section 5 step 8) is shorter than a round at one block a second.
        Assert.True(DevnetParameters.Oracle.MinCommitInterval < DevnetParameters.Oracle.RoundBlocks * DevnetParameters.BlockTimeSeconds);
    }

    [Fact]
    public void RegistryDelay_IsTheProtocolMinimum()
    {
        Assert.Equal(3_600UL, DevnetParameters.RegistryDelaySeconds);
        Assert.NotEqual(default, TokenPlan.BurnAddress);
        Assert.Equal(Address.Parse("0x000000000000000000000000000000000000dEaD"), TokenPlan.BurnAddress);
    }
}
