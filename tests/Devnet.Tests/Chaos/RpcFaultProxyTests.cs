using System.Text.Json.Nodes;
using SupplyOracle.Devnet.Chaos;

namespace SupplyOracle.Devnet.Tests.Chaos;

public sealed class RpcFaultProxyTests
{
    [Fact]
    public void Lie_BlockNumber_AHeadBehind()
    {
        var answer = new JsonObject { ["id"] = 1, ["result"] = "0x64" };

        RpcFaultProxy.Lie("eth_blockNumber", answer);

        Assert.Equal("0x61", answer["result"]!.GetValue<string>());
    }

    [Fact]
    public void Lie_Block_HashThatIsNotTheChains()
    {
        var hash = "0x" + new string('a', 63) + "0";
        var answer = new JsonObject { ["id"] = 1, ["result"] = new JsonObject { ["hash"] = hash, ["number"] = "0x64" } };

        RpcFaultProxy.Lie("eth_getBlockByNumber", answer);

        var lied = answer["result"]!["hash"]!.GetValue<string>();
        Assert.NotEqual(hash, lied);
        Assert.Equal(66, lied.Length);
        Assert.Equal("0x64", answer["result"]!["number"]!.GetValue<string>());
    }

    [Fact]
    public void Lie_OtherCalls_Unchanged()
    {
        var answer = new JsonObject { ["id"] = 1, ["result"] = "0x64" };

        RpcFaultProxy.Lie("eth_call", answer);

        Assert.Equal("0x64", answer["result"]!.GetValue<string>());
    }
}
