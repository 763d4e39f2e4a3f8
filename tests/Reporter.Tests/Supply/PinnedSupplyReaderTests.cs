using System.Diagnostics.Metrics;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Supply;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Supply;

public sealed class PinnedSupplyReaderTests : IAsyncLifetime
{
    private static readonly BigInteger Unit = BigInteger.Pow(10, 18);
    private AnvilNode _node = null!;
    private SupplyChain _chain = null!;

    public async Task InitializeAsync()
    {
        _node = await AnvilNode.StartAsync();
        _chain = await SupplyChain.DeployAsync(_node);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task ReadAsync_TransfersAfterReferenceBlock_ReturnsFiguresAtReferenceBlock()
    {
        var token = await _chain.DeployTokenAsync("AAA", 1_000_000 * Unit);
        var vesting = Address.Parse(AnvilNode.DevAccounts[2].Address);
        var treasury = SupplyChain.RandomAddress();
        await _chain.ExcludeAsync([(token, vesting, 200_000 * Unit), (token, treasury, 50_000 * Unit)]);
        var block = await PinAsync();
        var registryAtBlock = await _chain.Registry.OnChainCirculatingAsync(token.Address, BlockId.AtNumber(block.Number));

        // After B_r: tokens move into an excluded address and out of another; the read at B_r must not see it.
        await _chain.SendAsync(token.TransferCall(treasury, 10_000 * Unit), account: 0);
        await _chain.SendAsync(token.TransferCall(Address.Parse(SupplyChain.Owner), 70_000 * Unit), account: 2);
        var registryNow = await _chain.Registry.OnChainCirculatingAsync(token.Address);

        var result = await Reader(Endpoint("a")).ReadAsync(block, [new CoveredToken(token.Address, [])]);

        var figures = Assert.Single(result.Tokens);
        Assert.Equal(1_250_000 * Unit, figures.TotalSupply);
        Assert.Equal(1_000_000 * Unit, figures.Circulating);
        Assert.Equal(registryAtBlock, figures.Circulating);
        Assert.NotEqual(registryNow, figures.Circulating);
        Assert.Equal(new[] { vesting, treasury }.Order(), figures.Excluded);
    }

    [Fact]
    public async Task ReadAsync_ManyTokensWithExtraLocked_TakesTwoRoundTrips()
    {
        var tokens = new List<TestTokenContract>();
        var entries = new List<(TestTokenContract, Address, BigInteger)>();
        for (var i = 0; i < 6; i++)
        {
            var token = await _chain.DeployTokenAsync($"T{i}", (i + 1) * 1_000 * Unit);
            tokens.Add(token);
            for (var j = 0; j < 3; j++)
            {
                entries.Add((token, SupplyChain.RandomAddress(), (j + 1) * 10 * Unit));
            }
        }
        await _chain.ExcludeAsync(entries);
        var locked = SupplyChain.RandomAddress();
        await _chain.SendAsync(tokens[0].TransferCall(locked, 7 * Unit));
        var block = await PinAsync();
        var transport = new TamperingTransport(SupplyChain.Transport(_node.RpcUrl));

        var result = await Reader(new RpcEndpoint("counted", transport)).ReadAsync(block,
            [.. tokens.Select(t => new CoveredToken(t.Address, t == tokens[0] ? [locked] : []))]);

        Assert.Equal(2, result.RoundTrips);
        Assert.Equal(2, transport.RoundTrips);
        Assert.Equal(6, result.Tokens.Count);
        Assert.Empty(result.Skipped);
        for (var i = 0; i < 6; i++)
        {
            var figures = result.Tokens.Single(t => t.Token == tokens[i].Address);
            Assert.Equal((i + 1) * 1_000 * Unit, figures.Circulating);
            Assert.Equal(await _chain.Registry.OnChainCirculatingAsync(tokens[i].Address, BlockId.AtNumber(block.Number)), figures.Circulating);
        }
        Assert.Equal(7 * Unit, result.Tokens.Single(t => t.Token == tokens[0].Address).ExtraLockedBalance);
    }

    [Fact]
    public async Task ReadAsync_LyingEndpoint_SkipsTokenWithEndpointsDisagreeAndCountsIt()
    {
        var honest = await _chain.DeployTokenAsync("HON", 500 * Unit);
        var target = await _chain.DeployTokenAsync("LIE", 500 * Unit);
        var block = await PinAsync();
        var totalSupplySelector = Hex.Encode(target.TotalSupplyCall().Data.Span);
        var liar = new TamperingTransport(SupplyChain.Transport(_node.RpcUrl), (request, response) =>
            TamperingTransport.Call(request) is { } call
            && string.Equals(call.To, target.Address.ToString(), StringComparison.OrdinalIgnoreCase)
            && call.Data == totalSupplySelector
                ? TamperingTransport.Uint256(request, 900 * Unit)
                : response);
        using var telemetry = new ReporterTelemetry();
        long disagreements = 0;
        using var listener = Listen(telemetry, "supplyoracle.reporter.rpc.disagreements", v => Interlocked.Add(ref disagreements, v));

        var result = await Reader(telemetry, 2, Endpoint("honest"), new RpcEndpoint("liar", liar))
            .ReadAsync(block, [new CoveredToken(honest.Address, []), new CoveredToken(target.Address, [])]);

        Assert.Equal(honest.Address, Assert.Single(result.Tokens).Token);
        var skip = Assert.Single(result.Skipped);
        Assert.Equal((target.Address, SupplySkipReason.EndpointsDisagree), (skip.Token, skip.Reason));
        Assert.Equal(1, disagreements);
    }

    [Fact]
    public async Task ReadAsync_EndpointDown_QuorumDecides()
    {
        var token = await _chain.DeployTokenAsync("DWN", 500 * Unit);
        var block = await PinAsync();
        var down = new RpcEndpoint("down", SupplyChain.Transport(new Uri($"http://127.0.0.1:{FreePort.Next()}/")));
        CoveredToken[] covered = [new CoveredToken(token.Address, [])];

        var strict = await Reader(new ReporterTelemetry(), 2, Endpoint("up"), down).ReadAsync(block, covered);
        var lenient = await Reader(new ReporterTelemetry(), 1, Endpoint("up"), down).ReadAsync(block, covered);

        Assert.Empty(strict.Tokens);
        Assert.Equal(SupplySkipReason.RpcUnavailable, Assert.Single(strict.Skipped).Reason);
        Assert.Equal(500 * Unit, Assert.Single(lenient.Tokens).Circulating);
    }

    [Fact]
    public async Task ReadAsync_TokenWithoutCode_SkipsWithNoCode()
    {
        var missing = SupplyChain.RandomAddress();
        var block = await PinAsync();

        var result = await Reader(Endpoint("a")).ReadAsync(block, [new CoveredToken(missing, [])]);

        Assert.Equal(SupplySkipReason.NoCode, Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public async Task ReadAsync_BlockReorganisedAway_ThrowsBlockReorganised()
    {
        var token = await _chain.DeployTokenAsync("ORG", 500 * Unit);
        await _node.MineAsync(3);
        var block = await PinAsync(blocksBack: 1);

        await _node.ReorgAsync(2);

        var error = await Assert.ThrowsAsync<BlockReorganisedException>(() =>
            Reader(Endpoint("a")).ReadAsync(block, [new CoveredToken(token.Address, [])]));
        Assert.Equal(block.Number, error.BlockNumber);
        Assert.Equal(block.Hash, error.Expected);
        Assert.NotEqual(block.Hash, error.Actual);
    }

    private async Task<PinnedBlock> PinAsync(ulong blocksBack = 0)
    {
        await _node.MineAsync();
        var head = await _chain.Client.BlockNumberAsync();
        var header = (await _chain.Client.GetBlockAsync(BlockId.AtNumber(head - blocksBack)))!;
        return new PinnedBlock(header.Number, header.Hash, header.Timestamp);
    }

    private RpcEndpoint Endpoint(string name) => new(name, SupplyChain.Transport(_node.RpcUrl));

    private PinnedSupplyReader Reader(RpcEndpoint endpoint) => Reader(new ReporterTelemetry(), 1, endpoint);

    private PinnedSupplyReader Reader(ReporterTelemetry telemetry, int quorum, params RpcEndpoint[] endpoints) =>
        new(endpoints, _chain.Registry.Address, quorum, telemetry);

    private static MeterListener Listen(ReporterTelemetry telemetry, string instrument, Action<long> onValue)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, telemetry.Meter) && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => onValue(value));
        listener.Start();
        return listener;
    }
}
