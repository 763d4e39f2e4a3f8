using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using Marten;
using SupplyOracle.Aggregator.EventSourcing;
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
    private readonly IDocumentStore _store;
    private readonly OracleDeployment _deployment;
    private readonly OracleStateReader? _oracle;

    /// <summary>Creates the reader.</summary>
    /// <param name="store">The aggregator's Marten event store.</param>
    /// <param name="deployment">The deployment (EIP-712 domain).</param>
    /// <param name="oracle">Reads the oracle at <c>stateBlock</c>; null leaves the proposal's parameters and state out.</param>
    public RoundAuditReader(IDocumentStore store, OracleDeployment deployment, OracleStateReader? oracle)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deployment);
        _store = store;
        _deployment = deployment;
        _oracle = oracle;
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
            var session = _store.QuerySession();
            await using var sessionScope = session.ConfigureAwait(false);
            var events = await session.Events.FetchStreamAsync(IntakeEventNames.RoundStream(round), token: cancellationToken).ConfigureAwait(false);
            // The events the audit is made of; others in the stream (opened, closed, fee bumps) are skipped.
            foreach (var recorded in events)
            {
                phase ??= "observing";
                switch (recorded.Data)
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
        catch (Exception e) when (EventConflicts.IsTransient(e))
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
