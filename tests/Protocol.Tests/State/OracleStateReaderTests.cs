using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Protocol.Tests.State;

public sealed class OracleStateReaderTests : IAsyncLifetime
{
    private OracleNetwork _network = null!;

    public async Task InitializeAsync() => _network = await OracleNetwork.StartAsync(new OracleNetworkOptions { Reporters = 4, Tokens = 3 });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task ReadAsync_AtNumber_TwoRoundTripsAndEverythingTheRulesNeed()
    {
        var counting = new CountingTransport(_network.Client.Client);
        var reader = new OracleStateReader(new EthereumRpcClient(counting), _network.Deployment);
        var head = await _network.Client.BlockNumberAsync();

        var snapshot = await reader.ReadAsync(head);

        Assert.Equal(2, counting.RoundTrips);
        var block = (await _network.Client.GetBlockAsync(BlockId.AtNumber(head)))!;
        Assert.Equal(head, snapshot.BlockNumber);
        Assert.Equal(block.Hash, snapshot.BlockHash);
        Assert.Equal(block.Timestamp, snapshot.BlockTime);
        Assert.Equal(_network.Options.Parameters, snapshot.ContractParameters);
        Assert.Equal(10UL, snapshot.Parameters.RoundBlocks);
        Assert.Equal(_network.Reporters.Select(r => r.Address).Order(), snapshot.Reporters.Addresses);
        Assert.Equal(_network.Reporters.Select(r => r.Address).Order(), snapshot.Parameters.Reporters);
        Assert.Equal(_network.Tokens.Select(t => t.Address), snapshot.TokenStates.Select(s => s.Token));
        Assert.All(snapshot.TokenStates, s => Assert.False(s.Initialized));
        Assert.Equal(0UL, snapshot.LastRound);
        Assert.False(snapshot.Paused);
    }

    [Fact]
    public async Task ReadAsync_AtHash_SameSnapshotAsByNumber()
    {
        var head = await _network.Client.BlockNumberAsync();
        var byNumber = await _network.StateReader.ReadAsync(head);
        await _network.Node.MineAsync(3);

        var byHash = await _network.StateReader.ReadAsync(byNumber.BlockHash);

        Assert.Equal(byNumber.BlockNumber, byHash.BlockNumber);
        Assert.Equal(byNumber.TokenStates, byHash.TokenStates);
    }

    [Fact]
    public async Task ReadAsync_BeforeDeployment_CallFailed()
    {
        var e = await Assert.ThrowsAsync<OracleStateException>(() => _network.StateReader.ReadAsync(0));
        Assert.Equal(OracleStateError.CallFailed, e.Error);
    }

    [Fact]
    public async Task ReadAsync_UnknownBlock_BlockNotFound()
    {
        var e = await Assert.ThrowsAsync<OracleStateException>(() => _network.StateReader.ReadAsync(1_000_000));
        Assert.Equal(OracleStateError.BlockNotFound, e.Error);
        e = await Assert.ThrowsAsync<OracleStateException>(() => _network.StateReader.ReadAsync(Keccak256.Hash([1])));
        Assert.True(e.Error is OracleStateError.BlockNotFound or OracleStateError.CallFailed, e.Error.ToString());
    }

    [Fact]
    public async Task ReadAsync_PausedTokenAndOracle_Reflected()
    {
        await _network.Oracle.PauseTokenAsync(_network.Owner, _network.Tokens[1].Address);
        await _network.Oracle.PauseAsync(_network.Owner);

        var snapshot = await _network.StateReader.ReadAsync(await _network.Client.BlockNumberAsync());

        Assert.True(snapshot.Paused);
        Assert.DoesNotContain(_network.Tokens[1].Address, snapshot.TokenStates.Select(s => s.Token));
        Assert.True(snapshot.Tokens.Single(t => t.Token == _network.Tokens[1].Address).View.Paused);
    }

    [Fact]
    public async Task ReadAsync_NotAnOracle_CallFailed()
    {
        var reader = new OracleStateReader(_network.Client, new OracleDeployment(_network.Deployment.ChainId, _network.Tokens[0].Address, _network.Deployment.Registry));
        var e = await Assert.ThrowsAsync<OracleStateException>(async () => await reader.ReadAsync(await _network.Client.BlockNumberAsync()));
        Assert.Equal(OracleStateError.CallFailed, e.Error);
    }

    [Fact]
    public async Task ReadAsync_BlockReorganisedBetweenTrips_Reorganised()
    {
        await _network.Node.MineAsync(2);
        var head = await _network.Client.BlockNumberAsync();
        var transport = new CountingTransport(_network.Client.Client, afterFirst: () => _network.Node.ReorgAsync(2));
        var reader = new OracleStateReader(new EthereumRpcClient(transport), _network.Deployment);

        var e = await Assert.ThrowsAsync<OracleStateException>(() => reader.ReadAsync(head));

        Assert.Equal(OracleStateError.Reorganised, e.Error);
    }

    private sealed class CountingTransport(IClient inner, Func<Task>? afterFirst = null) : DelegatingRpcClient(inner)
    {
        private int _roundTrips;

        public int RoundTrips => _roundTrips;

        public override Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null)
        {
            Interlocked.Increment(ref _roundTrips);
            return base.SendAsync(rpcRequestMessage, route);
        }

        public override async Task<RpcResponseMessage[]> SendBatchAsync(RpcRequestMessage[] requests)
        {
            var trip = Interlocked.Increment(ref _roundTrips);
            var responses = await base.SendBatchAsync(requests);
            if (trip == 1 && afterFirst is not null)
            {
                await afterFirst();
            }

            return responses;
        }
    }
}
