using System.Numerics;
using Google.Protobuf;
using SupplyOracle.Aggregator.Tests.Support;
using Grpc.Core;
using SupplyOracle.Protocol.V1;
using UpdateStatus = SupplyOracle.Rules.Engine.UpdateStatus;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Query;

/// <summary>The Status service through the generated gRPC client (Grpc.Net.Client) over h2c, on a real PostgreSQL projection.</summary>
public sealed class StatusServiceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly BigInteger Supply = BigInteger.Parse("123456789012345678901234567", System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task SeedAsync(QueryLog log)
    {
        await log.AppendAsync(
            Accepted(7, Addr(1), (Token(1), Supply, 500_000_000_000_000_000), (Token(2), Supply, 300_000_000_000_000_000)),
            Accepted(7, Addr(2), (Token(1), Supply + 1, 520_000_000_000_000_000)),
            Closed(7, null, (Token(1), true, "Commit"), (Token(2), false, "NoQuorum")),
            Proposed(7, (Token(1), (UInt128)Supply, 500_000_000_000_000_000, UpdateStatus.Commit)),
            Intended(7, Addr(1), Addr(2)),
            Confirmed(7, gas: 98_765),
            Accepted(8, Addr(1), (Token(1), Supply, 500_000_000_000_000_000)));
    }

    [Fact]
    public async Task GetTokenState_CommittedToken_FactorCirculatingRoundAndStatus()
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());
        await SeedAsync(host.Log);
        await host.WaitCaughtUpAsync();

        var state = await host.Status.GetTokenStateAsync(
            new GetTokenStateRequest { Token = ByteString.CopyFrom(Token(1).ToArray()) });

        Assert.Equal(Token(1).ToArray(), state.Token.ToByteArray());
        Assert.Equal(500_000_000_000_000_000UL, state.Factor);
        Assert.Equal(Supply, new BigInteger(state.Circulating.Span, isUnsigned: true, isBigEndian: true));
        Assert.NotEqual(0, state.Circulating[0]); // no leading zero bytes (status.proto)
        Assert.Equal(1_700_000_840UL, state.CommittedAt);
        Assert.Equal(7UL, state.Round);
        Assert.Equal(0U, state.LastStatus);
        Assert.False(state.Frozen);
        Assert.True(state.Stale); // committed "in 2023" by the test clock: older than a day now
    }

    [Fact]
    public async Task GetTokenState_UnknownOrMalformedToken_NotFoundAndInvalidArgument()
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            host.Status.GetTokenStateAsync(new GetTokenStateRequest { Token = ByteString.CopyFrom(Token(9).ToArray()) }).ResponseAsync);
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            host.Status.GetTokenStateAsync(new GetTokenStateRequest { Token = ByteString.CopyFrom(new byte[19]) }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
    }

    [Fact]
    public async Task ListCalls_SeededLog_TokensRoundsAndReportersInProtoOrder()
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());
        await SeedAsync(host.Log);
        await host.WaitCaughtUpAsync();

        var tokens = await host.Status.ListTokenStatesAsync(new ListTokenStatesRequest());
        var rounds = await host.Status.ListRoundsAsync(new ListRoundsRequest());
        var older = await host.Status.ListRoundsAsync(new ListRoundsRequest { BeforeRound = 8, Limit = 5 });
        var reporters = await host.Status.ListReportersAsync(new ListReportersRequest());

        Assert.Equal([Token(1).ToArray(), Token(2).ToArray()], tokens.Tokens.Select(t => t.Token.ToByteArray()));
        Assert.Equal(0UL, tokens.Tokens[1].Factor);
        Assert.Empty(tokens.Tokens[1].Circulating);
        Assert.Equal([(8UL, RoundPhase.Observing), (7UL, RoundPhase.Confirmed)], rounds.Rounds.Select(r => (r.Round, r.Phase)));
        var confirmed = Assert.Single(older.Rounds);
        Assert.Equal((2U, 2U, 77UL, 70UL), (confirmed.Observations, confirmed.Attestations, confirmed.CommitBlock, confirmed.ReferenceBlock));
        Assert.Equal(Confirmed(7).TransactionHash, Contracts.Bindings.Primitives.Hex.Encode(confirmed.CommitTxHash.Span));
        Assert.Equal([Addr(1).ToArray(), Addr(2).ToArray()], reporters.Reporters.Select(r => r.Reporter.ToByteArray()));
        Assert.Equal((8UL, 7UL, 2U, 0U), (reporters.Reporters[0].LastObservedRound, reporters.Reporters[0].LastAttestedRound, reporters.Reporters[0].Observations, reporters.Reporters[0].Disagreements));
        Assert.Equal(1U, reporters.Reporters[1].Disagreements);
    }

    [Fact]
    public async Task Watch_NewRoundAndCommit_StreamsRoundPhasesAndFilteredTokens()
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());
        await SeedAsync(host.Log);
        await host.WaitCaughtUpAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = host.Status.Watch(new WatchRequest { Tokens = { ByteString.CopyFrom(Token(3).ToArray()) } }, cancellationToken: cancel.Token);
        await call.ResponseHeadersAsync; // sent once the watch has its starting position: what follows is new

        await host.Log.AppendAsync(
            Accepted(9, Addr(1), (Token(1), Supply, 1), (Token(3), Supply, 2)),
            Closed(9, null, (Token(1), true, "Commit"), (Token(3), true, "Commit")),
            Proposed(9, (Token(1), 1, 1, UpdateStatus.Commit), (Token(3), 1, 2, UpdateStatus.Commit)),
            Confirmed(9));

        var updates = new List<StatusUpdate>();
        while (!updates.Any(u => u.Round?.Phase == RoundPhase.Confirmed) || !updates.Any(u => u.Token?.Factor == 2))
        {
            Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
            updates.Add(call.ResponseStream.Current);
        }

        Assert.All(updates.Where(u => u.KindCase == StatusUpdate.KindOneofCase.Round), u => Assert.Equal(9UL, u.Round.Round));
        // The filter names token 3 only: token 1's commit is not sent.
        Assert.All(updates.Where(u => u.KindCase == StatusUpdate.KindOneofCase.Token), u => Assert.Equal(Token(3).ToArray(), u.Token.Token.ToByteArray()));
        Assert.DoesNotContain(updates, u => u.Round?.Round == 7);
    }

    [Fact]
    public async Task ListRounds_AbandonedRound_AbandonedWithItsReason()
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());
        await host.Log.AppendAsync(Closed(12, null), new Aggregator.Rounds.RoundAbandoned(12, "below quorum at the deadline: 0 valid batch(es), minReporters 3"));
        await host.WaitCaughtUpAsync();

        var rounds = await host.Status.ListRoundsAsync(new ListRoundsRequest());
        using var json = System.Text.Json.JsonDocument.Parse(await host.Http.GetStringAsync(new Uri("/v1/rounds/12", UriKind.Relative)));

        var round = Assert.Single(rounds.Rounds);
        Assert.Equal((RoundPhase.Abandoned, "below quorum at the deadline: 0 valid batch(es), minReporters 3"), (round.Phase, round.EndReason));
        Assert.Equal("abandoned", json.RootElement.GetProperty("round").GetProperty("phase").GetString());
        Assert.StartsWith("below quorum", json.RootElement.GetProperty("round").GetProperty("end_reason").GetString(), StringComparison.Ordinal);
    }
}
