using System.Collections.Concurrent;
using System.Threading.Channels;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Internal;
using SupplyOracle.Aggregator.Rounds.Internal;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Rounds;

/// <summary>A proposal open for attestation: what was sent and what attestations are checked against.</summary>
/// <param name="Message">The proposal as sent down the Connect streams.</param>
/// <param name="Report">Its report.</param>
/// <param name="ReportDigest">The EIP-712 digest reporters sign.</param>
/// <param name="Reporters">The reporter set at the proposal's state block.</param>
/// <param name="PushedAt">When this process pushed it (after a restart, the push of the rebuilt proposal).</param>
public sealed record OpenProposal(Proposal Message, Rules.Engine.Report Report, Hash32 ReportDigest, ReporterSet Reporters, DateTimeOffset PushedAt)
{
    /// <summary>r.</summary>
    public ulong Round => Message.Report.Round;
}

/// <summary>
/// The proposals this aggregator has open and the reporters' Connect streams (gossip.proto): an opened proposal is
/// pushed down every stream, a stream that connects later gets the open ones at once, and attestations coming up any
/// stream are verified with the protocol layer's <see cref="AttestationVerifier"/> (docs/protocol.md section 6) and recorded
/// in <c>round-&lt;r&gt;</c> before they are acknowledged. Thread-safe.
/// </summary>
public sealed class ProposalHub
{
    private readonly IEventStore _store;
    private readonly EventTypeMap _map;
    private readonly ConcurrentDictionary<ulong, OpenProposal> _open = new();
    private readonly ConcurrentDictionary<ChannelWriter<AggregatorMessage>, byte> _streams = new();

    /// <summary>Creates the hub.</summary>
    public ProposalHub(IEventStore store, EventTypeMap map)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(map);
        _store = store;
        _map = map;
    }

    /// <summary>Open proposals (by round).</summary>
    public IReadOnlyCollection<OpenProposal> Open => [.. _open.Values];

    /// <summary>Connected streams.</summary>
    public int Streams => _streams.Count;

    /// <summary>
    /// Registers a Connect stream's outgoing queue; the open proposals are queued on it at once. Dispose the result when
    /// the stream ends.
    /// </summary>
    public IDisposable Subscribe(ChannelWriter<AggregatorMessage> stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _streams.TryAdd(stream, 0);
        foreach (var proposal in _open.Values.OrderBy(p => p.Round))
        {
            stream.TryWrite(new AggregatorMessage { Proposal = proposal.Message });
        }

        return new Subscription(this, stream);
    }

    /// <summary>Opens (or replaces) the proposal of its round and pushes it down every stream.</summary>
    public void Publish(OpenProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        _open[proposal.Round] = proposal;
        foreach (var stream in _streams.Keys)
        {
            stream.TryWrite(new AggregatorMessage { Proposal = proposal.Message });
        }
    }

    /// <summary>The open proposal of round <paramref name="round"/>, if any.</summary>
    public bool TryGet(ulong round, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OpenProposal? proposal) => _open.TryGetValue(round, out proposal);

    /// <summary>Closes round <paramref name="round"/>'s proposal (decided): later attestations are answered UNKNOWN_PROPOSAL.</summary>
    public void Close(ulong round) => _open.TryRemove(round, out _);

    /// <summary>
    /// Verifies and records one attestation and returns the acknowledgement to send back. The acknowledgement is
    /// returned only after the event is durable (an accepted attestation is never lost).
    /// </summary>
    /// <exception cref="EventStore.Errors.EventStoreException">The log could not be written.</exception>
    public async Task<Acknowledgement> AttestAsync(Attestation attestation, string peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        ArgumentNullException.ThrowIfNull(peer);
        if (!_open.TryGetValue(attestation.Round, out var open))
        {
            RoundTelemetry.Attestation(nameof(RejectReason.UnknownProposal));
            return new Acknowledgement
            {
                MessageHash = attestation.ReportDigest,
                Round = attestation.Round,
                Reason = RejectReason.UnknownProposal,
                Message = $"no open proposal for round {attestation.Round} on this aggregator (proposal id '{attestation.ProposalId}')",
            };
        }

        var result = AttestationVerifier.Verify(attestation, new RoundId(open.Round), open.ReportDigest, open.Reporters);
        var stream = new StreamId(IntakeEventNames.RoundStream(open.Round));
        if (!result.IsValid)
        {
            var claimed = attestation.Reporter.Length == 20 ? new Address(attestation.Reporter.Span).ToChecksumString() : null;
            var rejected = new AttestationRejected(open.Round, attestation.ProposalId, result.Rejection.Reason.ToString(), result.Rejection.Message, claimed, peer);
            await _store.AppendAsync(stream, ExpectedVersion.Any,
                [_map.ToEventData(rejected, IntakeIds.ForBytes("attestation-rejected/" + result.Rejection.Reason, Google.Protobuf.MessageExtensions.ToByteArray(attestation)))],
                cancellationToken).ConfigureAwait(false);
            RoundTelemetry.Attestation(result.Rejection.Reason.ToString());
            return result.Rejection.ToAcknowledgement(result.MessageHash ?? Hash32.Zero, open.Round);
        }

        var signed = result.Value!;
        var accepted = new AttestationAccepted(open.Round, open.Message.ProposalId, signed.ReportDigest.ToString(), signed.Signer.ToChecksumString(), signed.Signature.ToString());
        // One event per (digest, signer): a re-sent attestation, or the same one relayed through another replica, is appended once.
        await _store.AppendAsync(stream, ExpectedVersion.Any,
            [_map.ToEventData(accepted, IntakeIds.For("attestation", signed.ReportDigest, signed.Signer.ToString()))], cancellationToken).ConfigureAwait(false);
        RoundTelemetry.Attestation("accepted");
        return ProtocolRejection.Accepted(signed.ReportDigest, open.Round);
    }

    /// <summary>Records a reporter's refusal (its proposal verdict) in the round's stream.</summary>
    /// <exception cref="EventStore.Errors.EventStoreException">The log could not be written.</exception>
    public async Task RefusedAsync(Acknowledgement verdict, string peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(peer);
        if (verdict.Accepted || verdict.Round == 0)
        {
            return;
        }

        var refused = new ProposalRefused(verdict.Round, verdict.Reason.ToString(), verdict.Message, peer);
        await _store.AppendAsync(new StreamId(IntakeEventNames.RoundStream(verdict.Round)), ExpectedVersion.Any,
            [_map.ToEventData(refused, Guid.NewGuid())], cancellationToken).ConfigureAwait(false);
    }

    private sealed class Subscription(ProposalHub hub, ChannelWriter<AggregatorMessage> stream) : IDisposable
    {
        public void Dispose() => hub._streams.TryRemove(stream, out _);
    }
}
