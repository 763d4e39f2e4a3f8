using System.Numerics;
using System.Text.Json;
using Google.Protobuf;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Query;

/// <summary>
/// Issue 18 items 1 and 2: the API's stale flags, ages and pauses agree with the contract's <c>freeFloatFactor</c> on a
/// real anvil after the chain's clock moves and the guardian pauses (real PostgreSQL projection, real HTTP and gRPC).
/// </summary>
public sealed class ChainJudgementTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TokensAndGetTokenState_ChainClockMovedThenPaused_AgreeWithFreeFloatFactor()
    {
        await using var network = await OracleNetwork.StartAsync(new OracleNetworkOptions
        {
            Reporters = 3,
            Tokens = 2,
            Parameters = OracleNetworkOptions.DefaultParameters with { MinCommitInterval = 5, ReportStaleAfter = 120, Heartbeat = 60 },
        });
        var tokens = network.Tokens.Select(t => t.Address).Order().ToArray();
        var header = await network.NextRoundAsync();
        var batches = new List<Protocol.Observations.SignedBatch>();
        for (var i = 0; i < 3; i++)
        {
            batches.Add(await network.SignBatchAsync(i, header,
                tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000"), new Wad(500_000_000_000_000_000)))));
        }

        Assert.NotNull(await network.RunRoundAsync(header, batches));
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync(), network.Client, deployment: network.Deployment);
        var round = header.Round.Value;
        await host.Log.AppendAsync(Accepted(round, Addr(1), (tokens[0], new BigInteger(1_000), 500_000_000_000_000_000UL)),
            Proposed(round, (tokens[0], (UInt128)1_000, 500_000_000_000_000_000, UpdateStatus.Commit)), Confirmed(round));
        await host.WaitCaughtUpAsync();

        var fresh = await TokenAsync(host, tokens[0]);
        Assert.False(fresh.GetProperty("stale").GetBoolean());
        Assert.InRange(fresh.GetProperty("age_seconds").GetInt64(), 0, 30);

        // The chain's clock moves 200 s past a reportStaleAfter of 120 (set on chain, not in the aggregator's settings).
        await network.Node.IncreaseTimeAsync(200);
        await network.Node.MineAsync(1);
        var onChain = await network.Oracle.FreeFloatFactorAsync(tokens[0], BlockId.Latest);
        var head = (await network.Client.GetBlockAsync(BlockId.Latest))!;
        await Task.Delay(100); // past the reuse interval of the chain read (the poll interval, 50 ms here)
        var (oracle, stale) = await TokensAsync(host, tokens[0]);
        Assert.True(onChain.Stale);
        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Equal((long)(head.Timestamp - onChain.CommittedAt), stale.GetProperty("age_seconds").GetInt64());
        Assert.Equal(head.Timestamp, oracle.GetProperty("chain_time").GetUInt64());
        Assert.Equal(120UL, oracle.GetProperty("report_stale_after").GetUInt64());
        var state = await host.Status.GetTokenStateAsync(new GetTokenStateRequest { Token = ByteString.CopyFrom(tokens[0].ToArray()) });
        Assert.True(state.Stale);
        Assert.Equal((long)(head.Timestamp - onChain.CommittedAt), state.AgeSeconds);

        // The guardian pauses the token: the contract says frozen; so does the API, and says why.
        await network.Oracle.PauseTokenAsync(network.Owner, tokens[0]);
        await Task.Delay(100);
        var paused = await TokenAsync(host, tokens[0]);
        Assert.True((await network.Oracle.FreeFloatFactorAsync(tokens[0], BlockId.Latest)).Frozen);
        Assert.True(paused.GetProperty("frozen").GetBoolean());
        Assert.True(paused.GetProperty("paused").GetBoolean());

        // A global pause: shown once for the oracle, and on every token.
        await network.Oracle.PauseAsync(network.Owner);
        await Task.Delay(100);
        var (globally, _) = await TokensAsync(host, tokens[0]);
        Assert.True(globally.GetProperty("paused").GetBoolean());
        var list = await host.Status.ListTokenStatesAsync(new ListTokenStatesRequest());
        Assert.True(list.OraclePaused);
        Assert.All(list.Tokens, t => Assert.True(t.Paused && t.Frozen));
    }

    private static async Task<JsonElement> TokenAsync(QueryHost host, Address token)
    {
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri($"/v1/tokens/{token}", UriKind.Relative)));
        return document.RootElement.Clone();
    }

    private static async Task<(JsonElement Oracle, JsonElement Token)> TokensAsync(QueryHost host, Address token)
    {
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/v1/tokens", UriKind.Relative)));
        var root = document.RootElement.Clone();
        return (root.GetProperty("oracle"), root.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("token").GetString() == token.ToChecksumString()));
    }
}
