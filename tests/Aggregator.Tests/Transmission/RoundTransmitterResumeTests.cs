using JasperFx.Events.Daemon;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Protocol.Reports;
using H = SupplyOracle.Aggregator.Tests.Support.TransmissionHarness;

namespace SupplyOracle.Aggregator.Tests.Transmission;

/// <summary>
/// A crash at each point of a transmission, simulated by doing by hand what the transmitter does before it dies, then
/// <see cref="RoundTransmitter.TransmitAsync"/> on a fresh transmitter (fresh sender): exactly one commit per round, the
/// recorded nonce, <c>round-confirmed.v1</c> once. Real anvil, deployed contracts, real PostgreSQL.
/// </summary>
public sealed class RoundTransmitterResumeTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task TransmitAsync_IntendedButNotBroadcast_BroadcastsTheRecordedBytesOnce()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var from = await network.Network.Client.BlockNumberAsync();
        var nonceBefore = await H.MinedNonceAsync(network);
        var recorded = await H.RecordIntentAsync(network, report, attestations, H.Sender(network)); // ... and the process dies

        var outcome = await H.Transmitter(network).TransmitAsync(report, attestations, 3, default);

        Assert.Equal(TransmissionOutcome.Confirmed, outcome);
        await AssertCommittedOnceAsync(round, from, nonceBefore, recorded.Hash);
    }

    [Fact]
    public async Task TransmitAsync_BroadcastButNotMined_WaitsForTheSameTransaction()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var from = await network.Network.Client.BlockNumberAsync();
        var nonceBefore = await H.MinedNonceAsync(network);
        await network.Network.Node.SetAutomineAsync(false);
        try
        {
            var recorded = await H.RecordIntentAsync(network, report, attestations, H.Sender(network));
            await network.Network.Client.SendRawTransactionAsync(recorded.Raw); // broadcast ... and the process dies

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var transmit = H.Transmitter(network).TransmitAsync(report, attestations, 3, cts.Token);
            await Task.Delay(300, cts.Token);
            Assert.False(transmit.IsCompleted); // not mined yet: it waits rather than sending anything else
            await network.Network.Node.MineAsync();

            Assert.Equal(TransmissionOutcome.Confirmed, await transmit);
            await AssertCommittedOnceAsync(round, from, nonceBefore, recorded.Hash);
        }
        finally
        {
            await network.Network.Node.SetAutomineAsync(true);
        }
    }

    [Fact]
    public async Task TransmitAsync_MinedButNotRecorded_RecordsTheMinedCommitWithoutSending()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var from = await network.Network.Client.BlockNumberAsync();
        var nonceBefore = await H.MinedNonceAsync(network);
        var recorded = await H.RecordIntentAsync(network, report, attestations, H.Sender(network));
        await network.Network.Client.SendRawTransactionAsync(recorded.Raw);
        await network.Network.Node.WaitForReceiptAsync(recorded.Hash.ToString()); // mined ... and the process dies
        Assert.Equal(round, await network.Network.Oracle.LastRoundAsync());

        var outcome = await H.Transmitter(network).TransmitAsync(report, attestations, 3, default);

        Assert.Equal(TransmissionOutcome.Confirmed, outcome);
        await AssertCommittedOnceAsync(round, from, nonceBefore, recorded.Hash);
    }

    [Fact]
    public async Task TransmitAsync_CalledAgainAfterConfirmation_ReturnsConfirmedAndRecordsNothing()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        Assert.Equal(TransmissionOutcome.Confirmed, await H.Transmitter(network).TransmitAsync(report, attestations, 3, default));
        var nonce = await H.MinedNonceAsync(network);
        var events = await H.EventsAsync(network, round);

        Assert.Equal(TransmissionOutcome.Confirmed, await H.Transmitter(network).TransmitAsync(report, attestations, 3, default));

        Assert.Equal(events.Select(e => e.Type), (await H.EventsAsync(network, round)).Select(e => e.Type));
        Assert.Equal(nonce, await H.MinedNonceAsync(network));
        var intended = Assert.IsType<TransmissionIntended>(events[0].Event);
        Assert.Equal(intended.TransactionHash, Assert.IsType<RoundConfirmed>(events[1].Event).TransactionHash);
        Assert.Equal(Hash32.Parse(intended.TransactionHash), Contracts.Bindings.Crypto.Keccak256.Hash(Hex.Decode(intended.RawTransaction)));
    }

    [Fact]
    public async Task TransmitAsync_IntendedButAnotherAggregatorCommittedTheRound_SupersededWithoutSending()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var nonceBefore = await H.MinedNonceAsync(network);
        var recorded = await H.RecordIntentAsync(network, report, attestations, H.Sender(network)); // ... and the process dies
        var rival = Network.TestSupport.OracleNetwork.CreateSender(network.Network.Client, 8);
        await CommitBuilder.Build(network.Network.Deployment, report, attestations, 3).SendAsync(network.Network.Oracle, rival);

        var outcome = await H.Transmitter(network).TransmitAsync(report, attestations, 3, default);

        Assert.Equal(TransmissionOutcome.Superseded, outcome);
        Assert.Null(await network.Network.Client.GetTransactionAsync(recorded.Hash)); // never broadcast
        Assert.Equal(nonceBefore, await H.MinedNonceAsync(network));
        Assert.Equal([TransmissionEventNames.TransmissionIntended, TransmissionEventNames.RoundSuperseded], (await H.EventsAsync(network, round)).Select(e => e.Type));
    }

    [Fact]
    public async Task TransmitAsync_RecordedNonceUsedByAnotherTransaction_RecordsFailedAndNeverUsesASecondNonce()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var nonceBefore = await H.MinedNonceAsync(network);
        var recorded = await H.RecordIntentAsync(network, report, attestations, H.Sender(network)); // ... and the process dies
        // Someone else with the key (an operator's manual transfer) takes the nonce.
        var other = H.Sender(network);
        var transfer = await other.SendAsync(new TransactionRequest(H.SenderAddress, Array.Empty<byte>(), new Wei(1), 21_000));
        await other.WaitForConfirmationAsync(transfer);
        Assert.Equal(recorded.Transaction.Nonce, transfer.Nonce);

        var outcome = await H.Transmitter(network).TransmitAsync(report, attestations, 3, default);

        Assert.Equal(TransmissionOutcome.Failed, outcome);
        var failed = Assert.IsType<RoundFailed>((await H.EventsAsync(network, round))[^1].Event);
        Assert.Equal(nameof(TransmissionFailureStage.NonceConsumed), failed.Stage);
        Assert.Equal(nonceBefore + 1, await H.MinedNonceAsync(network)); // only the transfer
        Assert.True(await network.Network.Oracle.LastRoundAsync() < round);
    }

    [Fact]
    public async Task TransmitAsync_IntentRecordedByAnotherKey_ThrowsTransmissionRecordExceptionAndSendsNothing()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var recorded = await H.RecordIntentAsync(network, report, attestations, H.Sender(network));
        var otherKey = new RoundTransmitter(network.Store, network.Network.Deployment, Network.TestSupport.OracleNetwork.CreateSender(network.Network.Client, 8));

        var ex = await Assert.ThrowsAsync<TransmissionRecordException>(() => otherKey.TransmitAsync(report, attestations, 3, default));

        Assert.Equal(recorded.Hash.ToString(), ex.TransactionHash);
        Assert.Null(await network.Network.Client.GetTransactionAsync(recorded.Hash));
        // The key that recorded it finishes it.
        Assert.Equal(TransmissionOutcome.Confirmed, await H.Transmitter(network).TransmitAsync(report, attestations, 3, default));
    }

    [Fact]
    public async Task TransmitAsync_IntentAppendFails_NothingSentAndTheNextAttemptUsesTheSameNonce()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var from = await network.Network.Client.BlockNumberAsync();
        var nonceBefore = await H.MinedNonceAsync(network);
        var store = new FailingAppends { Failing = true };
        await using var events = await AggregatorEventStore.StartAsync(network.DataSource,
            new AggregatorStoreOptions("eventstore", new QuerySchema(), DaemonMode.Disabled) { Listener = store }, NullLoggerFactory.Instance, TimeProvider.System, default);
        var transmitter = new RoundTransmitter(events.Store, network.Network.Deployment, H.Sender(network));

        await Assert.ThrowsAsync<IOException>(() => transmitter.TransmitAsync(report, attestations, 3, default));
        Assert.Empty(await H.EventsAsync(network, round));
        Assert.Equal(nonceBefore, await network.Network.Client.GetTransactionCountAsync(H.SenderAddress, Contracts.Bindings.JsonRpc.BlockId.Pending));

        store.Failing = false; // the database is back: the same transmitter (same sender) tries again
        Assert.Equal(TransmissionOutcome.Confirmed, await transmitter.TransmitAsync(report, attestations, 3, default));
        Assert.Equal(nonceBefore, ((TransmissionIntended)(await H.EventsAsync(network, round))[0].Event).Nonce); // no nonce gap
        Assert.Equal(1, await H.CommitsOnChainAsync(network, from, round));
    }

    private async Task AssertCommittedOnceAsync(ulong round, ulong from, ulong nonceBefore, Hash32 recordedHash)
    {
        Assert.Equal(round, await network.Network.Oracle.LastRoundAsync());
        Assert.Equal(1, await H.CommitsOnChainAsync(network, from, round));
        Assert.Equal(nonceBefore + 1, await H.MinedNonceAsync(network)); // one transaction, the recorded nonce
        var events = await H.EventsAsync(network, round);
        Assert.Equal([TransmissionEventNames.TransmissionIntended, TransmissionEventNames.RoundConfirmed], events.Select(e => e.Type));
        var intended = (TransmissionIntended)events[0].Event;
        var confirmed = (RoundConfirmed)events[1].Event;
        Assert.Equal(nonceBefore, intended.Nonce);
        Assert.Equal(nonceBefore, confirmed.Nonce);
        Assert.Equal(recordedHash.ToString(), confirmed.TransactionHash);
    }

    /// <summary>Makes the real store's commits fail while <see cref="Failing"/> (PostgreSQL down between signing and recording).</summary>
    private sealed class FailingAppends : Marten.DocumentSessionListenerBase
    {
        public bool Failing { get; set; }

        public override Task BeforeSaveChangesAsync(Marten.IDocumentSession session, CancellationToken token) =>
            Failing ? throw new IOException("database unavailable") : Task.CompletedTask;
    }
}
