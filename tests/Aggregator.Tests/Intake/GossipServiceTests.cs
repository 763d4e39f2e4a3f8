using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Tests.Support;
using Grpc.Core;
using Grpc.Net.Client;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Tests.Intake;

/// <summary>The gossip service over real gRPC (the generated client, Grpc.AspNetCore server) on top of the real intake.</summary>
public sealed class GossipServiceTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task Connect_ValidThenDuplicateThenForeignBatch_AcknowledgedInOrderWithReasons()
    {
        await using var host = await StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Grpc);
        var client = new Gossip.GossipClient(channel);
        var batch = await network.Reporter(0).BatchAsync(network.Network.Client, 20, TestReporter.Tokens(3));
        var foreign = await network.Reporter(1).BatchAsync(network.Network.Client, 20, TestReporter.Tokens(3),
            // Signed for chain id 1 (a reporter left on mainnet's id): provably another domain, hence WRONG_DOMAIN.
            new Contracts.Bindings.Crypto.SupplyOracleTypedData(1, network.Network.Deployment.Oracle));

        using var call = client.Connect();
        await call.RequestStream.WriteAsync(new ReporterMessage { Observation = batch });
        await call.RequestStream.WriteAsync(new ReporterMessage { Observation = batch });
        await call.RequestStream.WriteAsync(new ReporterMessage { Observation = foreign });
        await call.RequestStream.CompleteAsync();
        var acks = new List<Acknowledgement>();
        while (await call.ResponseStream.MoveNext())
        {
            acks.Add(call.ResponseStream.Current.Acknowledgement);
        }

        Assert.Equal([RejectReason.Unspecified, RejectReason.Duplicate, RejectReason.WrongDomain], acks.Select(a => a.Reason));
        Assert.True(acks[0].Accepted);
        Assert.All(acks, a => Assert.Equal(20UL, a.Round));
        Assert.Equal(32, acks[0].MessageHash.Length);
    }

    [Fact]
    public async Task Submit_UnknownSigner_RejectedWithReasonAndHealthOk()
    {
        await using var host = await StartAsync(withHttp: true);
        using var channel = GrpcChannel.ForAddress(host.Grpc);
        var stranger = new TestReporter(new Protocol.Signing.PrivateKeySigner(Contracts.Bindings.Crypto.PrivateKey.Generate()), network.Network.Deployment.TypedData);
        var batch = await stranger.BatchAsync(network.Network.Client, 21, TestReporter.Tokens(2));

        var ack = await new Gossip.GossipClient(channel).SubmitAsync(batch);

        Assert.False(ack.Accepted);
        Assert.Equal(RejectReason.UnknownSigner, ack.Reason);
        Assert.Contains(stranger.Address.ToChecksumString(), ack.Message, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync(new Uri(host.Http!, "/healthz")));
    }

    [Fact]
    public async Task Relay_MixedBatches_SummaryCountsEachKind()
    {
        await using var host = await StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Grpc);
        var a = await network.Reporter(2).BatchAsync(network.Network.Client, 22, TestReporter.Tokens(2));
        var b = await network.Reporter(3).BatchAsync(network.Network.Client, 22, TestReporter.Tokens(2, seed: 3));
        var bad = a.Clone();
        bad.Signature = Google.Protobuf.ByteString.CopyFrom(new byte[64]);

        using var call = new Gossip.GossipClient(channel).Relay();
        foreach (var batch in new[] { a, b, a, bad })
        {
            await call.RequestStream.WriteAsync(batch);
        }

        await call.RequestStream.CompleteAsync();
        var summary = await call.ResponseAsync;

        Assert.Equal((2U, 1U, 1U), (summary.Accepted, summary.Duplicates, summary.Rejected));
    }

    [Fact]
    public async Task Connect_ReporterGoesAwayMidStream_LoggedAtDebugWithoutErrorOrTrace()
    {
        // Issue 24: every reporter restart made the aggregator log "fail:" with a stack trace; a client going away is normal.
        var logs = new RecordingLoggerProvider();
        await using var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null,
            new GossipService(network.CreateIntake(), NullLoggerFactory.Instance), logging => logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var batch = await network.Reporter(4).BatchAsync(network.Network.Client, 23, TestReporter.Tokens(2));
        using (var channel = GrpcChannel.ForAddress(host.Grpc))
        {
            using var cts = new CancellationTokenSource();
            using var call = new Gossip.GossipClient(channel).Connect(cancellationToken: cts.Token);
            await call.RequestStream.WriteAsync(new ReporterMessage { Observation = batch });
            Assert.True(await call.ResponseStream.MoveNext());
            await cts.CancelAsync(); // RST_STREAM(CANCEL), as when the reporter process stops
        }

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        while (!logs.Entries.Any(e => e.Category.EndsWith("ServerCallInterceptor", StringComparison.Ordinal) && e.EventId == 3))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the end of the call was not logged");
            await Task.Delay(20);
        }

        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Information && e.Exception is not null);
        Assert.Equal(LogLevel.Debug, logs.Entries.Single(e => e.EventId == 3 && e.Category.EndsWith("ServerCallInterceptor", StringComparison.Ordinal)).Level);
    }

    private Task<RunningHost> StartAsync(bool withHttp = false) => AggregatorWebHost.StartAsync(
        new IPEndPoint(IPAddress.Loopback, 0), withHttp ? new IPEndPoint(IPAddress.Loopback, 0) : null,
        new GossipService(network.CreateIntake(), NullLoggerFactory.Instance), logging => logging.ClearProviders());
}
