using System.Text.Json;
using Google.Protobuf;
using SupplyOracle.Aggregator.Tests.Support;

namespace SupplyOracle.Aggregator.Tests.Grpc.Interop;

/// <summary>
/// @grpc/grpc-js (an independent implementation) as the client of the aggregator's real services on Grpc.AspNetCore:
/// the four call shapes, errors, deadlines, large messages, text and -bin metadata, gzip and server reflection.
/// Batches are signed here by reporters of the anvil network and sent by grpc-js as serialized bytes.
/// </summary>
public sealed class GrpcJsClientTests(ProjectedIntakeNetwork network) : IClassFixture<ProjectedIntakeNetwork>
{
    private static ulong s_round = 20;

    private async Task<JsonElement> RunAsync(string scenario, int reporter = 0)
    {
        var round = Interlocked.Add(ref s_round, 2);
        var batch = await network.Reporter(reporter).BatchAsync(network.Network.Client, round, TestReporter.Tokens(2));
        await using var host = await GrpcTestHost.StartAsync(network.DataSource, network.Events, network);
        return await NodeScripts.RunClientAsync(host.Grpc, scenario,
            new Dictionary<string, string> { ["BATCHES"] = JsonSerializer.Serialize(new[] { Convert.ToBase64String(batch.ToByteArray()) }) });
    }

    [Fact]
    public async Task Unary_SubmitWithTextAndBinMetadata_AcceptedThenDuplicateThenRejected()
    {
        var r = await RunAsync("unary", reporter: 0);
        Assert.True(r.GetProperty("ok").GetProperty("accepted").GetBoolean());
        Assert.Equal(32, r.GetProperty("ok").GetProperty("messageHash").GetProperty("data").GetArrayLength()); // a Node Buffer
        Assert.Equal("REJECT_REASON_DUPLICATE", r.GetProperty("again").GetProperty("reason").GetString());
        Assert.False(r.GetProperty("bad").GetProperty("accepted").GetBoolean());
        Assert.NotEqual("REJECT_REASON_UNSPECIFIED", r.GetProperty("bad").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ServerStreaming_WatchThenSubmit_RoundUpdateStreamedThenCancelled()
    {
        var r = await RunAsync("server-stream", reporter: 1);
        Assert.True(r.GetProperty("submitted").GetBoolean());
        var update = r.GetProperty("updates").EnumerateArray().First();
        Assert.Equal("round", update.GetProperty("kind").GetString());
        Assert.Equal("ROUND_PHASE_OBSERVING", update.GetProperty("phase").GetString());
        Assert.Equal(1, r.GetProperty("code").GetInt32()); // CANCELLED: grpc-js cancelled the watch
    }

    [Fact]
    public async Task ClientStreaming_RelayValidDuplicateTampered_SummaryCountsEachKind()
    {
        var r = await RunAsync("client-stream", reporter: 2);
        Assert.Equal((1, 1, 1), (r.GetProperty("accepted").GetInt32(), r.GetProperty("duplicates").GetInt32(), r.GetProperty("rejected").GetInt32()));
    }

    [Fact]
    public async Task Duplex_ConnectObservationAndAttestation_AcknowledgedInOrderThenOk()
    {
        var r = await RunAsync("duplex", reporter: 3);
        var acks = r.GetProperty("acks").EnumerateArray().ToArray();
        Assert.Equal(2, acks.Length);
        Assert.True(acks[0].GetProperty("accepted").GetBoolean());
        Assert.Equal("REJECT_REASON_UNKNOWN_PROPOSAL", acks[1].GetProperty("reason").GetString());
        Assert.Equal(0, r.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Errors_InvalidArgumentNotFoundUnimplemented_WithTheirMessages()
    {
        var r = await RunAsync("errors");
        Assert.Equal(3, r.GetProperty("malformed").GetProperty("code").GetInt32());
        Assert.Contains("20-byte address", r.GetProperty("malformed").GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, r.GetProperty("unknown").GetProperty("code").GetInt32());
        Assert.Equal(12, r.GetProperty("unimplemented").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Deadline_WatchWithShortDeadline_DeadlineExceededPromptlyAndServerServes()
    {
        var r = await RunAsync("deadline");
        Assert.Equal(4, r.GetProperty("code").GetInt32());
        Assert.InRange(r.GetProperty("elapsedMs").GetInt32(), 250, 5_000);
        Assert.Equal(5, r.GetProperty("after").GetInt32());
    }

    [Fact]
    public async Task Large_ThreeMiBAnsweredFourMiBPlusResourceExhausted_ServerServesAfter()
    {
        var r = await RunAsync("large", reporter: 4);
        Assert.True(r.GetProperty("size").GetInt32() > 3 * 1024 * 1024);
        Assert.False(r.GetProperty("ok").GetProperty("accepted").GetBoolean());
        Assert.Equal(8, r.GetProperty("tooLarge").GetProperty("code").GetInt32());
        Assert.Equal("REJECT_REASON_UNSPECIFIED", r.GetProperty("after").GetString()); // accepted (reason unset)
    }

    [Fact]
    public async Task Gzip_CompressedRequestsAndResponses_AnsweredCorrectly()
    {
        var r = await RunAsync("gzip", reporter: 5);
        Assert.True(r.GetProperty("ack").GetProperty("accepted").GetBoolean());
        Assert.Equal(3, r.GetProperty("invalid").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Reflection_GrpcJsReflectionClient_ListsTheServicesAndServesGossipProto()
    {
        var r = await RunAsync("reflection");
        var services = r.GetProperty("services").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("supplyoracle.v1.Gossip", services);
        Assert.Contains("supplyoracle.v1.Status", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
        Assert.True(r.GetProperty("gossipFiles").GetInt32() >= 1);
    }
}
