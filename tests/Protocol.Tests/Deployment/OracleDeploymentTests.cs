using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;

namespace SupplyOracle.Protocol.Tests.Deployment;

public sealed class OracleDeploymentTests
{
    private static readonly Address s_a = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private static readonly Address s_b = Address.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");

    [Fact]
    public void Constructor_Valid_TypedDataBoundToChainAndOracle()
    {
        var d = new OracleDeployment(5, s_a, s_b);
        Assert.Equal(5UL, d.TypedData.ChainId);
        Assert.Equal(s_a, d.TypedData.VerifyingContract);
        Assert.Equal(d, new OracleDeployment(5, s_a, s_b));
        Assert.NotEqual(d.TypedData.DomainSeparator, new OracleDeployment(6, s_a, s_b).TypedData.DomainSeparator);
    }

    [Fact]
    public void Constructor_ZeroChainOrAddress_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OracleDeployment(0, s_a, s_b));
        Assert.Throws<ArgumentException>(() => new OracleDeployment(1, Address.Zero, s_b));
        Assert.Throws<ArgumentException>(() => new OracleDeployment(1, s_a, Address.Zero));
    }
}
