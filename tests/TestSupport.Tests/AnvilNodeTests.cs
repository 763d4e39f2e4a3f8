using System.Text.Json;

namespace SupplyOracle.TestSupport.Tests;

public sealed class AnvilNodeTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    private AnvilNode Node => fixture.Node;

    [Fact]
    public async Task ChainId_IsTheConfiguredOne()
    {
        Assert.Equal(31337UL, await Node.ChainIdAsync());
    }

    [Fact]
    public async Task SendTransaction_IsMinedWithSuccessfulReceipt()
    {
        var receipt = await SendValueAsync(0, 1, 12345);

        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(AnvilNode.DevAccounts[1].Address, receipt.GetProperty("to").GetString(), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SnapshotRevert_RestoresBalanceAndHeight()
    {
        var before = await BalanceAsync(AnvilNode.DevAccounts[3].Address);
        var height = await Node.BlockNumberAsync();
        var snapshot = await Node.SnapshotAsync();

        await SendValueAsync(2, 3, 1_000_000);
        Assert.NotEqual(before, await BalanceAsync(AnvilNode.DevAccounts[3].Address));

        Assert.True(await Node.RevertAsync(snapshot));
        Assert.Equal(before, await BalanceAsync(AnvilNode.DevAccounts[3].Address));
        Assert.Equal(height, await Node.BlockNumberAsync());
    }

    [Fact]
    public async Task Reorg_ReplacesBlocksAndDropsTheirTransactions()
    {
        await using var node = await AnvilNode.StartAsync();
        await node.MineAsync(5);
        var tx = (await node.SendValueAsync(AnvilNode.DevAccounts[4].Address, AnvilNode.DevAccounts[5].Address, 1))
            .GetProperty("transactionHash").GetString();
        var height = await node.BlockNumberAsync();
        var hashBefore = (await node.BlockAsync(height)).GetProperty("hash").GetString();

        await node.ReorgAsync(2);

        Assert.Equal(height, await node.BlockNumberAsync());
        Assert.NotEqual(hashBefore, (await node.BlockAsync(height)).GetProperty("hash").GetString());
        Assert.Equal(JsonValueKind.Null, (await node.RpcAsync("eth_getTransactionReceipt", tx)).ValueKind);
    }

    [Fact]
    public async Task IntervalMining_ProducesBlocksWithoutTransactions()
    {
        await using var node = await AnvilNode.StartAsync(new AnvilOptions(BlockTimeSeconds: 1));
        var start = await node.BlockNumberAsync();
        var deadline = DateTimeOffsetNow() + TimeSpan.FromSeconds(15);
        while (await node.BlockNumberAsync() < start + 2)
        {
            Assert.True(DateTimeOffsetNow() < deadline, "interval mining produced no blocks in 15 s");
            await Task.Delay(200);
        }
    }

    private static DateTimeOffset DateTimeOffsetNow() => TimeProvider.System.GetUtcNow();

    private Task<JsonElement> SendValueAsync(int from, int to, ulong wei) =>
        Node.SendValueAsync(AnvilNode.DevAccounts[from].Address, AnvilNode.DevAccounts[to].Address, wei);

    private async Task<string> BalanceAsync(string address) =>
        (await Node.RpcAsync("eth_getBalance", address, "latest")).GetString()!;
}
