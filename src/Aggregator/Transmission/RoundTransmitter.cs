using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Leadership;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Reports;

namespace SupplyOracle.Aggregator.Transmission;

/// <summary>How a transmission ended.</summary>
public enum TransmissionOutcome
{
    /// <summary>This aggregator's commit was confirmed.</summary>
    Confirmed,

    /// <summary>The oracle's <c>lastRound</c> had already reached the round: nothing was sent.</summary>
    Superseded,
}

/// <summary>
/// Sends a round's commit (PROTOCOL.md section 6): checks the oracle's <c>lastRound</c> first (a round committed by
/// another aggregator or before a crash is never sent again; the contract would revert it anyway with
/// <c>RoundNotIncreasing</c>), builds the calldata from the attestations with the protocol layer's
/// <see cref="CommitBuilder"/>, records the intent, sends with the <see cref="TransactionSender"/> (nonces, EIP-1559 fees
/// under the ceiling, replacement, confirmation depth, reorg detection) and records the confirmation.
/// </summary>
public sealed class RoundTransmitter
{
    private readonly IEventStore _store;
    private readonly EventTypeMap _map;
    private readonly OracleDeployment _deployment;
    private readonly SupplyOracleContract _oracle;
    private readonly TransactionSender _sender;

    /// <summary>Creates the transmitter.</summary>
    public RoundTransmitter(IEventStore store, EventTypeMap map, OracleDeployment deployment, TransactionSender sender)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(sender);
        _store = store;
        _map = map;
        _deployment = deployment;
        _sender = sender;
        _oracle = new SupplyOracleContract(sender.Client, deployment.Oracle);
    }

    /// <summary>
    /// Transmits <paramref name="report"/> with <paramref name="attestations"/> (already verified). With several
    /// replicas, pass the <paramref name="lease"/> from the event store's <see cref="LeaderElection"/>: only its holder
    /// sends, and losing it cancels the send (ARCHITECTURE.md "Deployment shapes": one transmits at a time).
    /// </summary>
    /// <exception cref="CommitBuildException">Fewer than <paramref name="minReporters"/> distinct attestations of the report.</exception>
    /// <exception cref="NotLeaderException">The lease is no longer held.</exception>
    public async Task<TransmissionOutcome> TransmitAsync(Rules.Engine.Report report, IReadOnlyList<SignedAttestation> attestations, int minReporters,
        CancellationToken cancellationToken, LeaderLease? lease = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(attestations);
        if (lease is { IsHeld: false })
        {
            throw new NotLeaderException(report.Header.Round.Value);
        }

        using var linked = lease is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        cancellationToken = linked?.Token ?? cancellationToken;
        var round = report.Header.Round.Value;
        var stream = new StreamId(IntakeEventNames.RoundStream(round));
        var lastRound = await _oracle.LastRoundAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (lastRound >= round)
        {
            await _store.AppendAsync(stream, ExpectedVersion.Any, [_map.ToEventData(new RoundSuperseded(round, lastRound), Guid.NewGuid())], cancellationToken).ConfigureAwait(false);
            return TransmissionOutcome.Superseded;
        }

        var commit = CommitBuilder.Build(_deployment, report, attestations, minReporters);
        await _store.AppendAsync(stream, ExpectedVersion.Any,
            [_map.ToEventData(new TransmissionIntended(round, _sender.Address.ToChecksumString(), [.. commit.Signers.Select(s => s.ToChecksumString())]), Guid.NewGuid())],
            cancellationToken).ConfigureAwait(false);
        var confirmed = await commit.SendAsync(_oracle, _sender, cancellationToken).ConfigureAwait(false);
        var receipt = confirmed.Receipt;
        await _store.AppendAsync(stream, ExpectedVersion.Any,
            [_map.ToEventData(new RoundConfirmed(round, receipt.TransactionHash.ToString(), receipt.BlockNumber, receipt.GasUsed, confirmed.Replacements), Guid.NewGuid())],
            cancellationToken).ConfigureAwait(false);
        return TransmissionOutcome.Confirmed;
    }
}

/// <summary>A transmission was attempted without holding the leader lease.</summary>
public sealed class NotLeaderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotLeaderException(ulong round)
        : base($"round {round}: this replica does not hold the transmitter lease")
    {
        Round = round;
    }

    /// <summary>The round that was not sent.</summary>
    public ulong Round { get; }
}
