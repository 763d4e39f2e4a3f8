using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Protocol.State;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Reporter.Attestation;
using SupplyOracle.Reporter.Gossip;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Journal;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.Rules.Domain;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Gossip;

/// <summary>The gossip client against a real in-test gRPC aggregator.</summary>
public sealed class AggregatorConnectionTests
{

    [Fact]
    public async Task RunAsync_AggregatorDropsStreamBeforeAcknowledging_ResendsAfterReconnectUntilAcknowledged()
    {
        var entry = await EntryAsync(11);
        await using var aggregator = await TestAggregator.StartAsync();
        aggregator.Handler.DigestOf = _ => ByteString.CopyFrom(entry.Digest.ToArray());
        aggregator.Handler.DropsLeft = 2;
        var connection = Connection(aggregator.Url);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(entry);

        var run = connection.RunAsync(cts.Token);
        await WaitUntilAsync(() => connection.Unacknowledged == 0, cts.Token);
        await cts.CancelAsync();
        await run;

        var sent = aggregator.Handler.Received.Select(m => m.Observation).ToArray();
        Assert.Equal(3, sent.Length);
        Assert.All(sent, b => Assert.Equal(entry.Message, b));
    }

    [Fact]
    public async Task RunAsync_AggregatorStartsLate_ConnectsWithBackoffAndDelivers()
    {
        var entry = await EntryAsync(12);
        var port = FreePort.Next();
        var connection = Connection(new Uri($"http://127.0.0.1:{port}"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(entry);
        var run = connection.RunAsync(cts.Token);
        await Task.Delay(500, cts.Token);

        await using var aggregator = await TestAggregator.StartAsync(port);
        aggregator.Handler.DigestOf = _ => ByteString.CopyFrom(entry.Digest.ToArray());
        await WaitUntilAsync(() => connection.Unacknowledged == 0, cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Equal(entry.Message, Assert.Single(aggregator.Handler.Received).Observation);
    }

    [Fact]
    public async Task RunAsync_ProposalWhileChainUnreachable_RefusesWithUnavailableAndCountsIt()
    {
        await using var aggregator = await TestAggregator.StartAsync();
        aggregator.Handler.ToPropose.Enqueue(new Proposal { ProposalId = "p-1", StateBlock = 5, Report = new Protocol.V1.Report { Round = 1, ReferenceBlock = 5 } });
        using var telemetry = new ReporterTelemetry();
        long refused = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, telemetry.Meter) && i.Name == "supplyoracle.reporter.attestations.refused")
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref refused, v));
        listener.Start();
        var connection = Connection(aggregator.Url, telemetry);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(await EntryAsync(13));
        aggregator.Handler.DigestOf = _ => ByteString.Empty;

        var run = connection.RunAsync(cts.Token);
        await WaitUntilAsync(() => aggregator.Handler.Received.Any(m => m.ProposalVerdict is not null), cts.Token);
        await cts.CancelAsync();
        await run;

        var verdict = aggregator.Handler.Received.Select(m => m.ProposalVerdict).Single(v => v is not null)!;
        Assert.False(verdict.Accepted);
        Assert.Equal(RejectReason.Unavailable, verdict.Reason);
        Assert.Equal(1, refused);
    }

    private static async Task<JournalEntry> EntryAsync(ulong round)
    {
        var batch = await Batches.SignAsync(round, 500);
        return new JournalEntry(new RoundId(round), batch.Digest, batch.ToProto());
    }

    private static AggregatorConnection Connection(Uri url, ReporterTelemetry? telemetry = null)
    {
        // The state reader points at a closed port (an RPC endpoint that is down).
        var down = EthereumRpcClient.Connect(new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        var reader = new OracleStateReader(down, Batches.Deployment);
        var attester = new ProposalAttester(Batches.Deployment, down, reader, Batches.Signer, new ReporterStatus(), telemetry ?? new ReporterTelemetry());
        return new AggregatorConnection(url.ToString(), GrpcChannel.ForAddress(url, new GrpcChannelOptions()), attester,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
