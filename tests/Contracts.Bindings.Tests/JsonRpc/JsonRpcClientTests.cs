using Nethereum.JsonRpc.Client.RpcMessages;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.JsonRpc;

public sealed class JsonRpcClientTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task Reads_AgainstAnvil_MatchCast()
    {
        var client = Chain.Client(anvil.Node);
        var url = anvil.Node.RpcUrl.ToString();
        Assert.Equal(ulong.Parse(Tools.Cast("chain-id", "--rpc-url", url), System.Globalization.CultureInfo.InvariantCulture), await client.ChainIdAsync());
        var account = Address.Parse(AnvilNode.DevAccounts[7].Address);
        Assert.Equal(Tools.Cast("balance", "--rpc-url", url, account.ToString()),
            (await client.GetBalanceAsync(account, BlockId.Latest)).Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var head = await client.BlockNumberAsync();
        var block = await client.GetBlockAsync(BlockId.AtNumber(head));
        Assert.Equal(Tools.Cast("block", "--rpc-url", url, head.ToString(System.Globalization.CultureInfo.InvariantCulture), "--field", "hash"), block!.Hash.ToString());
        var history = await client.FeeHistoryAsync(1, BlockId.Latest, [50]);
        Assert.Equal(2, history.BaseFeePerGas.Count);
        Assert.Null(await client.GetBlockAsync(BlockId.AtNumber(head + 1000)));
        Assert.Null(await client.GetTransactionReceiptAsync(Hash32.Zero));
    }

    [Fact]
    public async Task CallAsync_UnknownBlockHash_ThrowsJsonRpcExceptionWithCode()
    {
        var client = Chain.Client(anvil.Node);
        var ex = await Assert.ThrowsAsync<JsonRpcException>(() =>
            client.CallAsync(new CallRequest(Address.Zero, Array.Empty<byte>()), BlockId.AtHash(Hash32.Parse("0x" + new string('1', 64)))));
        Assert.Equal("eth_call", ex.Method);
        Assert.NotEqual(0, ex.Code);
    }

    [Theory]
    [InlineData("not json", JsonRpcTransportFailure.MalformedResponse)]
    [InlineData("[]", JsonRpcTransportFailure.MalformedResponse)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":\"0x1\"}", JsonRpcTransportFailure.MalformedResponse)] // wrong id
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", JsonRpcTransportFailure.UnexpectedResult)] // neither result nor error: no quantity
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":\"0x1\"}", JsonRpcTransportFailure.MalformedResponse)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0xzz\"}", JsonRpcTransportFailure.UnexpectedResult)]
    public async Task BlockNumberAsync_GarbageReply_ThrowsTransportExceptionWithFailure(string body, JsonRpcTransportFailure failure)
    {
        var client = EthereumRpcClient.Connect(new Uri("http://node.test:8545"), new CannedHandler(_ => (HttpStatusCode.OK, body)));
        var ex = await Assert.ThrowsAsync<JsonRpcTransportException>(() => client.BlockNumberAsync());
        Assert.Equal(failure, ex.Failure);
    }

    [Fact]
    public async Task SendAsync_Http503_ThrowsHttpStatusFailure()
    {
        var client = EthereumRpcClient.Connect(new Uri("http://node.test"), new CannedHandler(_ => (HttpStatusCode.ServiceUnavailable, "")));
        Assert.Equal(JsonRpcTransportFailure.HttpStatus, (await Assert.ThrowsAsync<JsonRpcTransportException>(() => client.ChainIdAsync())).Failure);
    }

    [Fact]
    public async Task CallAsync_ErrorWithRevertData_CarriesCodeAndData()
    {
        const string body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":3,\"message\":\"execution reverted\",\"data\":\"0x1234abcd\"}}";
        var client = EthereumRpcClient.Connect(new Uri("http://node.test"), new CannedHandler(_ => (HttpStatusCode.OK, body)));
        var ex = await Assert.ThrowsAsync<JsonRpcException>(() => client.CallAsync(new CallRequest(Address.Zero, Array.Empty<byte>()), BlockId.Latest));
        Assert.Equal(JsonRpcErrorCodes.ExecutionReverted, ex.Code);
        Assert.Equal([0x12, 0x34, 0xab, 0xcd], ex.RevertData);
    }

    [Fact]
    public async Task SendBatchAsync_RepliesOutOfOrder_MatchesById()
    {
        var handler = new CannedHandler(request =>
        {
            var batch = JsonNode.Parse(request)!.AsArray();
            var replies = batch.Reverse().Select(r => (JsonNode)new JsonObject { ["jsonrpc"] = "2.0", ["id"] = r!["id"]!.GetValue<long>(), ["result"] = r["method"]!.GetValue<string>() });
            return (HttpStatusCode.OK, new JsonArray([.. replies]).ToJsonString());
        });
        var responses = await DelegatingRpcClient.SendRawBatchAsync(new RpcEndpointClient(new Uri("http://node.test"), handler),
            [new RpcRequestMessage(1, "a"), new RpcRequestMessage(2, "b"), new RpcRequestMessage(3, "c")]);
        Assert.Equal(["a", "b", "c"], responses.Select(r => r.Result.ToString()));
    }

    [Fact]
    public async Task SendBatchAsync_ReplyMissingAnAnswer_ThrowsMalformed()
    {
        var handler = new CannedHandler(request =>
        {
            var first = JsonNode.Parse(request)!.AsArray()[0]!;
            return (HttpStatusCode.OK, $"[{{\"jsonrpc\":\"2.0\",\"id\":{first["id"]},\"result\":\"0x1\"}}]");
        });
        var ex = await Assert.ThrowsAsync<JsonRpcTransportException>(() => DelegatingRpcClient.SendRawBatchAsync(
            new RpcEndpointClient(new Uri("http://node.test"), handler), [new RpcRequestMessage(1, "a"), new RpcRequestMessage(2, "b")]));
        Assert.Equal(JsonRpcTransportFailure.MalformedResponse, ex.Failure);
    }

    [Fact]
    public async Task GetLogsAsync_NodeLimitsRange_HalvesWindowsUntilAccepted()
    {
        var ranges = new List<(ulong From, ulong To)>();
        var handler = new CannedHandler(request =>
        {
            var r = JsonNode.Parse(request)!;
            var filter = r["params"]![0]!;
            var from = Convert.ToUInt64(filter["fromBlock"]!.GetValue<string>(), 16);
            var to = Convert.ToUInt64(filter["toBlock"]!.GetValue<string>(), 16);
            ranges.Add((from, to));
            return to - from + 1 > 3
                ? (HttpStatusCode.OK, $"{{\"jsonrpc\":\"2.0\",\"id\":{r["id"]},\"error\":{{\"code\":-32005,\"message\":\"range too large\"}}}}")
                : (HttpStatusCode.OK, $"{{\"jsonrpc\":\"2.0\",\"id\":{r["id"]},\"result\":[]}}");
        });
        var client = EthereumRpcClient.Connect(new Uri("http://node.test"), handler);

        await client.GetLogsAsync(new LogFilter(10, 29, []), maxBlockRange: 10);

        var accepted = ranges.Where(r => r.To - r.From + 1 <= 3).ToList();
        Assert.Equal(10UL, accepted[0].From);
        Assert.Equal(29UL, accepted[^1].To);
        for (var i = 1; i < accepted.Count; i++)
        {
            Assert.Equal(accepted[i - 1].To + 1, accepted[i].From); // contiguous, no gap and no overlap
        }
    }

    [Fact]
    public async Task MultiEndpoint_FirstHealthyWithDeadFirstEndpoint_AnswersFromTheSecond()
    {
        var dead = Chain.Transport(new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        var transport = new MultiEndpointClient([dead, Chain.Transport(anvil.Node.RpcUrl)], EndpointPolicy.FirstHealthy);
        Assert.Equal(31337UL, await new EthereumRpcClient(transport).ChainIdAsync());
        var allDead = new MultiEndpointClient([dead], EndpointPolicy.FirstHealthy);
        Assert.Equal(JsonRpcTransportFailure.NoHealthyEndpoint,
            (await Assert.ThrowsAsync<JsonRpcTransportException>(() => new EthereumRpcClient(allDead).ChainIdAsync())).Failure);
    }

    [Fact]
    public async Task MultiEndpoint_AllMustAgreeWithDifferentChains_ThrowsDisagreement()
    {
        await using var other = await AnvilNode.StartAsync(new AnvilOptions(ChainId: 4242));
        var same = new MultiEndpointClient([Chain.Transport(anvil.Node.RpcUrl), Chain.Transport(anvil.Node.RpcUrl)], EndpointPolicy.AllMustAgree);
        Assert.Equal(31337UL, await new EthereumRpcClient(same).ChainIdAsync());
        var different = new MultiEndpointClient([Chain.Transport(anvil.Node.RpcUrl), Chain.Transport(other.RpcUrl)], EndpointPolicy.AllMustAgree);
        var ex = await Assert.ThrowsAsync<JsonRpcTransportException>(() => new EthereumRpcClient(different).ChainIdAsync());
        Assert.Equal(JsonRpcTransportFailure.Disagreement, ex.Failure);
    }

    /// <summary>Answers every request with a function of the request body: a malformed or scripted node.</summary>
    private sealed class CannedHandler(Func<string, (HttpStatusCode Status, string Body)> reply) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var (status, text) = reply(body);
            if (body.StartsWith('{'))
            {
                // Scripted single replies use id 1 for "the request's id": rewrite it so that only deliberate mismatches mismatch.
                var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
                text = text.Replace("\"id\":1,", $"\"id\":{id},", StringComparison.Ordinal);
            }

            return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
        }
    }
}
