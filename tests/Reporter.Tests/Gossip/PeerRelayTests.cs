using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Gossip;

/// <summary>Two and three peer relays wired together over real gRPC on loopback, with in-test aggregators.</summary>
public sealed class PeerRelayTests
{
    [Fact]
    public async Task Relay_BatchSentToA_ReachesAggregatorConfiguredOnlyOnBExactlyOnce()
    {
        var batch = (await Batches.SignAsync(100, 900_000_000_000_000_000)).ToProto();
        await using var aggregatorA = await TestAggregator.StartAsync();
        await using var aggregatorB = await TestAggregator.StartAsync();
        int portA = FreePort.Next(), portB = FreePort.Next();
        await using var a = await TestRelay.StartAsync("a", portA, [], [Url(portB)]);
        await using var b = await TestRelay.StartAsync("b", portB, [aggregatorB.Url], [Url(portA)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var summary = await TestRelay.SendAsync(a.Url, [batch], cts.Token);

        Assert.Equal(new RelaySummary { Accepted = 1 }, summary);
        await WaitUntilAsync(() => !aggregatorB.Handler.Submitted.IsEmpty, cts.Token);
        await QuiesceAsync(cts.Token, a, b);
        Assert.Equal(batch, Assert.Single(aggregatorB.Handler.Submitted));
        Assert.Empty(aggregatorA.Handler.Submitted);
        Assert.Equal((1, 1), (a.Forwarded, b.Forwarded));
    }

    [Fact]
    public async Task Relay_SameBatchTwice_ForwardedOnceAndCountedDuplicate()
    {
        var batch = (await Batches.SignAsync(99, 800_000_000_000_000_000)).ToProto();
        await using var aggregator = await TestAggregator.StartAsync();
        int portA = FreePort.Next(), portB = FreePort.Next();
        await using var a = await TestRelay.StartAsync("a", portA, [], [Url(portB)]);
        await using var b = await TestRelay.StartAsync("b", portB, [aggregator.Url], []);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var first = await TestRelay.SendAsync(a.Url, [batch, batch], cts.Token);
        var second = await TestRelay.SendAsync(a.Url, [batch], cts.Token);

        Assert.Equal(new RelaySummary { Accepted = 1, Duplicates = 1 }, first);
        Assert.Equal(new RelaySummary { Duplicates = 1 }, second);
        await WaitUntilAsync(() => !aggregator.Handler.Submitted.IsEmpty, cts.Token);
        await QuiesceAsync(cts.Token, a, b);
        Assert.Single(aggregator.Handler.Submitted);
        Assert.Equal((1, 2), (a.Forwarded, a.Duplicates));
    }

    [Fact]
    public async Task Relay_BadSignatureUnknownSignerOrStaleRound_RejectedAndNeverForwarded()
    {
        var good = (await Batches.SignAsync(100, 700_000_000_000_000_000)).ToProto();
        var badSignature = good.Clone();
        var signature = badSignature.Signature.ToByteArray();
        signature[10] ^= 0x01;
        badSignature.Signature = ByteString.CopyFrom(signature);
        var alteredObservations = good.Clone();
        var observations = alteredObservations.Observations.ToByteArray();
        observations[^1] ^= 0x01; // the factor's last byte: still well-formed, no longer what was signed
        alteredObservations.Observations = ByteString.CopyFrom(observations);
        var stranger = new PrivateKeySigner(PrivateKey.Parse(AnvilNode.DevAccounts[5].PrivateKey));
        var unknownSigner = (await ObservationBatchSigner.SignAsync(stranger, Batches.Deployment,
            new ReportHeader(new RoundId(100), 1000, 1_700_000_100, Keccak256.Hash(BitConverter.GetBytes(100UL))), 10,
            (await Batches.SignAsync(100, 700_000_000_000_000_000)).Observations)).ToProto();
        var stale = (await Batches.SignAsync(80, 700_000_000_000_000_000)).ToProto();

        await using var aggregator = await TestAggregator.StartAsync();
        int portA = FreePort.Next(), portB = FreePort.Next();
        await using var a = await TestRelay.StartAsync("a", portA, [aggregator.Url], [Url(portB)]);
        await using var b = await TestRelay.StartAsync("b", portB, [aggregator.Url], []);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var summary = await TestRelay.SendAsync(a.Url, [badSignature, alteredObservations, unknownSigner, stale], cts.Token);

        Assert.Equal(new RelaySummary { Rejected = 4 }, summary);
        await QuiesceAsync(cts.Token, a, b);
        Assert.Empty(aggregator.Handler.Submitted);
        Assert.Equal((0L, 4L), (a.Forwarded, a.Rejected));
        Assert.Equal((0L, 0L, 0L), (b.Forwarded, b.Duplicates, b.Rejected));
    }

    [Fact]
    public async Task Relay_ThreeDifferentBatchesOfOneSignerInARound_RelaysTheFirstTwoAsEvidenceAndRejectsTheThird()
    {
        var batches = new List<ObservationBatch>();
        foreach (var factor in new ulong[] { 100_000_000_000_000_000, 200_000_000_000_000_000, 300_000_000_000_000_000 })
        {
            batches.Add((await Batches.SignAsync(100, factor)).ToProto());
        }
        await using var aggregator = await TestAggregator.StartAsync();
        int portA = FreePort.Next(), portB = FreePort.Next();
        await using var a = await TestRelay.StartAsync("a", portA, [], [Url(portB)]);
        await using var b = await TestRelay.StartAsync("b", portB, [aggregator.Url], []);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var summary = await TestRelay.SendAsync(a.Url, batches, cts.Token);

        Assert.Equal(new RelaySummary { Accepted = 2, Rejected = 1 }, summary);
        await WaitUntilAsync(() => aggregator.Handler.Submitted.Count == 2, cts.Token);
        await QuiesceAsync(cts.Token, a, b);
        Assert.Equal(batches[..2].ToHashSet(), aggregator.Handler.Submitted.ToHashSet());
    }

    [Fact]
    public async Task Relay_FullMeshOfThree_EveryRelayForwardsOnceAndTheLoopStops()
    {
        var batch = (await Batches.SignAsync(101, 600_000_000_000_000_000)).ToProto();
        await using var aggregatorB = await TestAggregator.StartAsync();
        await using var aggregatorC = await TestAggregator.StartAsync();
        int portA = FreePort.Next(), portB = FreePort.Next(), portC = FreePort.Next();
        await using var a = await TestRelay.StartAsync("a", portA, [], [Url(portB), Url(portC)]);
        await using var b = await TestRelay.StartAsync("b", portB, [aggregatorB.Url], [Url(portA), Url(portC)]);
        await using var c = await TestRelay.StartAsync("c", portC, [aggregatorC.Url], [Url(portA), Url(portB)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await TestRelay.SendAsync(a.Url, [batch], cts.Token);

        await WaitUntilAsync(() => !aggregatorB.Handler.Submitted.IsEmpty && !aggregatorC.Handler.Submitted.IsEmpty, cts.Token);
        await QuiesceAsync(cts.Token, a, b, c);
        Assert.Equal((1, 1, 1), (a.Forwarded, b.Forwarded, c.Forwarded));
        // Each relay forwards once to at most two peers: at most four copies come back as duplicates in all.
        Assert.InRange(a.Duplicates + b.Duplicates + c.Duplicates, 1, 4);
        Assert.Single(aggregatorB.Handler.Submitted);
        Assert.Single(aggregatorC.Handler.Submitted);
    }

    [Fact]
    public async Task Relay_PeerThatSentTheBatchIsKnown_NotSentBack()
    {
        int portA = FreePort.Next(), portB = FreePort.Next();
        await using var a = await TestRelay.StartAsync("a", portA, [], [Url(portB)]);
        await using var b = await TestRelay.StartAsync("b", portB, [], [Url(portA)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // B's own batch teaches B's link A's node id (from A's response headers).
        await b.Relay.PublishOwnAsync((await Batches.SignAsync(100, 500_000_000_000_000_000)).ToProto(), cts.Token);
        await WaitUntilAsync(() => a.Forwarded == 1, cts.Token);
        await QuiesceAsync(cts.Token, a, b);
        var before = (a.Duplicates, b.Duplicates);

        await TestRelay.SendAsync(a.Url, [(await Batches.SignAsync(101, 500_000_000_000_000_000)).ToProto()], cts.Token);

        await WaitUntilAsync(() => b.Forwarded == 2, cts.Token);
        await QuiesceAsync(cts.Token, a, b);
        Assert.Equal((2L, 2L), (a.Forwarded, b.Forwarded));
        Assert.Equal(before, (a.Duplicates, b.Duplicates));
    }

    private static Uri Url(int port) => new($"http://127.0.0.1:{port}");

    /// <summary>Waits until no relay's counts change for 300 ms (no batch still bouncing).</summary>
    private static async Task QuiesceAsync(CancellationToken cancellationToken, params TestRelay[] relays)
    {
        string Snapshot() => string.Join(",", relays.Select(r => $"{r.Forwarded}/{r.Duplicates}/{r.Rejected}"));
        var last = Snapshot();
        while (true)
        {
            await Task.Delay(300, cancellationToken);
            var now = Snapshot();
            if (now == last)
            {
                return;
            }
            last = now;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
