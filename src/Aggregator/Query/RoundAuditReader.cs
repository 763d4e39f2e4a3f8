using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.State;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// Builds a <see cref="RoundAudit"/> from the round's stream in the event log (the source of truth, not the query
/// projection: the signed bytes are only there) and, for the section 5 inputs, the oracle read at the proposal's
/// <c>stateBlock</c>. Serves <c>GET /v1/rounds/{round}/audit</c> and <c>Status.GetRoundAudit</c>.
/// </summary>
public sealed class RoundAuditReader
{
    // The events the audit is made of; others in the stream (opened, closed, rejections, fee bumps) are skipped.
    private static readonly HashSet<string> Read = [IntakeEventNames.ObservationAccepted, IntakeEventNames.EquivocationDetected,
        RoundEventNames.RoundProposed, RoundEventNames.AttestationAccepted, TransmissionEventNames.TransmissionIntended,
        TransmissionEventNames.RoundConfirmed, RoundEventNames.RoundAbandoned, TransmissionEventNames.RoundSuperseded, TransmissionEventNames.RoundFailed];

    private readonly IEventStoreReader _log;
    private readonly EventTypeMap _map;
    private readonly OracleDeployment _deployment;
    private readonly OracleStateReader? _oracle;

    /// <summary>Creates the reader.</summary>
    /// <param name="log">The aggregator's event log.</param>
    /// <param name="deployment">The deployment (EIP-712 domain).</param>
    /// <param name="oracle">Reads the oracle at <c>stateBlock</c>; null leaves the proposal's parameters and state out.</param>
    public RoundAuditReader(IEventStoreReader log, OracleDeployment deployment, OracleStateReader? oracle)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(deployment);
        _log = log;
        _deployment = deployment;
        _oracle = oracle;
        _map = new EventTypeMap().RegisterIntakeEvents().RegisterRoundEvents().RegisterTransmissionEvents();
    }

    /// <summary>The audit of round <paramref name="round"/>, or null when the log holds nothing of it.</summary>
    /// <exception cref="QueryUnavailableException">The log or the chain could not be read.</exception>
    public async Task<RoundAudit?> ReadAsync(ulong round, CancellationToken cancellationToken = default)
    {
        var batches = new List<AuditBatch>();
        var equivocations = new List<AuditEquivocation>();
        var attestations = new List<AuditAttestation>();
        RoundProposed? proposed = null;
        AuditCommit? commit = null;
        string? phase = null;
        string? endReason = null;
        try
        {
            await foreach (var recorded in _log.ReadStreamAsync(new StreamId(IntakeEventNames.RoundStream(round)), ReadDirection.Forwards,
                cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                phase ??= "observing";
                switch (Read.Contains(recorded.Type) ? _map.Deserialize(recorded) : null)
                {
                    case ObservationAccepted a:
                        batches.Add(ToBatch(a, equivocation: false));
                        break;
                    case EquivocationDetected e:
                        batches.Add(ToBatch(e.Second, equivocation: true));
                        equivocations.Add(new AuditEquivocation(Address.Parse(e.Reporter), Hash32.Parse(e.FirstDigest), Hash32.Parse(e.Second.Digest)));
                        break;
                    case RoundProposed p:
                        proposed ??= p;
                        phase = "proposed";
                        break;
                    case AttestationAccepted a when proposed is not null && a.ProposalId == proposed.ProposalId:
                        attestations.Add(new AuditAttestation(Address.Parse(a.Reporter), Hash32.Parse(a.ReportDigest), Hex.Decode(a.Signature)));
                        break;
                    case TransmissionIntended:
                        phase = "transmitted";
                        break;
                    case RoundConfirmed c:
                        phase = "confirmed";
                        commit = new AuditCommit(Hash32.Parse(c.TransactionHash), c.BlockNumber, c.GasUsed);
                        break;
                    case RoundAbandoned a:
                        (phase, endReason) = ("abandoned", a.Reason);
                        break;
                    case RoundSuperseded s:
                        (phase, endReason) = ("superseded", $"round {s.LastRound} was committed on chain first");
                        break;
                    case RoundFailed f:
                        (phase, endReason) = ("failed", $"{f.Stage}: {f.Error ?? f.Detail}");
                        break;
                    default:
                        break;
                }
            }
        }
        catch (EventStoreException e)
        {
            throw new QueryUnavailableException($"read round {round}", e);
        }

        if (phase is null)
        {
            return null;
        }

        var proposal = proposed is null ? null : await ToProposalAsync(proposed, cancellationToken).ConfigureAwait(false);
        return new RoundAudit(round, phase, endReason, _deployment, batches, equivocations, proposal, attestations, commit);
    }

    private async Task<AuditProposal> ToProposalAsync(RoundProposed p, CancellationToken cancellationToken)
    {
        OracleSnapshot? snapshot = null;
        if (_oracle is not null)
        {
            try
            {
                snapshot = await _oracle.ReadAsync(p.StateBlock, cancellationToken).ConfigureAwait(false);
            }
            catch (OracleStateException e)
            {
                throw new QueryUnavailableException($"read the oracle at state block {p.StateBlock}", e);
            }
        }

        var referenceBlock = snapshot is null ? 0 : new RoundId(p.Round).ReferenceBlock(snapshot.Parameters.RoundBlocks);
        return new AuditProposal(p.ProposalId, p.StateBlock, referenceBlock, p.ReferenceTime, p.ReferenceHash is null ? Hash32.Zero : Hash32.Parse(p.ReferenceHash),
            Hex.Decode(p.Updates), Hash32.Parse(p.ReportDigest), [.. p.Evidence.Select(Hash32.Parse)], snapshot?.Parameters, snapshot?.TokenStates);
    }

    private static AuditBatch ToBatch(ObservationAccepted a, bool equivocation) => new(Address.Parse(a.Reporter), Hash32.Parse(a.Digest), a.Round,
        a.ReferenceBlock, a.ReferenceTime, Hash32.Parse(a.ReferenceHash), Hex.Decode(a.Observations), Hex.Decode(a.Signature), equivocation);
}
