using System.Globalization;
using Google.Protobuf;
using Marten;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Proposals;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.State;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Rounds;

/// <summary>The outcome of closing a round: the proposal, or null when the round was abandoned.</summary>
/// <param name="Proposal">The proposal to send to reporters, if any (rebuilt in full when the log already held it).</param>
/// <param name="AlreadyClosed">True when the log already held the decision (a restart or another replica).</param>
public sealed record RoundCloseResult(Protocol.V1.Proposal? Proposal, bool AlreadyClosed)
{
    /// <summary>The proposed report (null when abandoned).</summary>
    public Report? Report { get; init; }

    /// <summary>The EIP-712 digest reporters sign (null when abandoned).</summary>
    public Hash32? ReportDigest { get; init; }

    /// <summary>The reporter set at the proposal's state block: attestations are checked against it (null when abandoned).</summary>
    public ReporterSet? Reporters { get; init; }
}

/// <summary>
/// Closes a round from the log alone (docs/protocol.md sections 5 and 6): the accepted batches of <c>round-&lt;r&gt;</c> are
/// verified again, the oracle state is read at the head, the rules are applied with the protocol layer's
/// <see cref="RoundEvaluator"/>, and <c>round-closed.v1</c> with <c>round-proposed.v1</c> (or <c>round-abandoned.v1</c>)
/// are appended in one transaction expecting the version read, so two replicas never both decide a round.
/// </summary>
public sealed class RoundCloser
{
    private readonly IDocumentStore _store;
    private readonly OracleDeployment _deployment;
    private readonly OracleStateReader _reader;
    private readonly ICanonicalChain _chain;
    private readonly string _aggregatorId;

    /// <summary>Creates the closer.</summary>
    public RoundCloser(IDocumentStore store, OracleDeployment deployment, OracleStateReader reader, ICanonicalChain chain, string aggregatorId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentException.ThrowIfNullOrEmpty(aggregatorId);
        _store = store;
        _deployment = deployment;
        _reader = reader;
        _chain = chain;
        _aggregatorId = aggregatorId;
    }

    /// <summary>
    /// Closes round <paramref name="round"/> (idempotent: a closed round returns its recorded decision; a recorded
    /// proposal is rebuilt in full from the same batches and the oracle state at its <c>stateBlock</c>).
    /// </summary>
    /// <exception cref="JasperFx.ConcurrencyException">Another writer appended to the round meanwhile; call again.</exception>
    /// <exception cref="RoundLogException">A recorded proposal cannot be rebuilt byte for byte from the log.</exception>
    public async Task<RoundCloseResult> CloseAsync(ulong round, CancellationToken cancellationToken)
    {
        var accepted = new List<ObservationAccepted>();
        long version = 0;
        IReadOnlyList<JasperFx.Events.IEvent> events;
        var session = _store.QuerySession();
        await using (session.ConfigureAwait(false))
        {
            events = await session.Events.FetchStreamAsync(IntakeEventNames.RoundStream(round), token: cancellationToken).ConfigureAwait(false);
        }

        foreach (var recorded in events)
        {
            version = recorded.Version;
            switch (recorded.Data)
            {
                case ObservationAccepted batch:
                    accepted.Add(batch);
                    break;
                case EquivocationDetected equivocation:
                    accepted.Add(equivocation.Second);
                    break;
                case RoundProposed recordedProposal:
                    return await RebuildAsync(recordedProposal, accepted, cancellationToken).ConfigureAwait(false);
                case RoundAbandoned:
                    return new RoundCloseResult(null, AlreadyClosed: true);
                default:
                    break;
            }
        }

        var head = await _chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await _reader.ReadAsync(head, cancellationToken).ConfigureAwait(false);
        var referenceBlock = new RoundId(round).ReferenceBlock(snapshot.Parameters.RoundBlocks);
        var block = await _chain.GetBlockAsync(referenceBlock, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"block {referenceBlock} of round {round} is not mined");
        var header = new ReportHeader(new RoundId(round), referenceBlock, block.Timestamp, block.Hash);
        var evaluation = Evaluate(snapshot, header, accepted);
        var closed = new RoundClosed(round, snapshot.BlockNumber, evaluation.Evidence.Count,
            [.. evaluation.Selection.Equivocations.Select(e => e.Reporter.ToChecksumString())],
            [.. evaluation.Result.Outcomes.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Token}:{(o.InReport ? "in-report" : "left-out")}:{o.Reason}"))]);
        if (!evaluation.ShouldPropose)
        {
            await AppendAsync(round, version, closed, new RoundAbandoned(round, AbandonReason(evaluation, snapshot)), cancellationToken).ConfigureAwait(false);
            return new RoundCloseResult(null, AlreadyClosed: false);
        }

        var proposalId = string.Create(CultureInfo.InvariantCulture, $"{_aggregatorId}/{round}/{snapshot.BlockNumber}");
        var proposal = ProposalBuilder.Build(evaluation, snapshot.BlockNumber, proposalId, _aggregatorId);
        var updates = evaluation.Report.EncodeUpdates();
        var digest = _deployment.TypedData.ReportDigest(round, header.ReferenceBlock, header.ReferenceTime, header.ReferenceHash, updates);
        var proposed = new RoundProposed(round, proposalId, snapshot.BlockNumber, digest.ToString(), Hex.Encode(updates),
            [.. evaluation.Evidence.Select(e => e.Digest.ToString())], header.ReferenceTime, header.ReferenceHash.ToString());
        await AppendAsync(round, version, closed, proposed, cancellationToken).ConfigureAwait(false);
        return new RoundCloseResult(proposal, AlreadyClosed: false) { Report = evaluation.Report, ReportDigest = digest, Reporters = snapshot.Reporters };
    }

    // The evaluation is deterministic: the batches accepted before the decision, the header and the oracle state at the
    // recorded state block give the same report, which is checked against the recorded digest before it is sent again.
    private async Task<RoundCloseResult> RebuildAsync(RoundProposed recorded, List<ObservationAccepted> accepted, CancellationToken cancellationToken)
    {
        var round = recorded.Round;
        if (recorded.ReferenceHash is null)
        {
            throw new RoundLogException(round, "the recorded proposal has no reference header");
        }

        var snapshot = await _reader.ReadAsync(recorded.StateBlock, cancellationToken).ConfigureAwait(false);
        var header = new ReportHeader(new RoundId(round), new RoundId(round).ReferenceBlock(snapshot.Parameters.RoundBlocks), recorded.ReferenceTime,
            Hash32.Parse(recorded.ReferenceHash));
        var evaluation = Evaluate(snapshot, header, accepted);
        var digest = evaluation.ShouldPropose ? ReportMessages.Digest(_deployment, evaluation.Report) : (Hash32?)null;
        if (digest is null || !string.Equals(digest.Value.ToString(), recorded.ReportDigest, StringComparison.OrdinalIgnoreCase))
        {
            throw new RoundLogException(round, $"rebuilding proposal {recorded.ProposalId} at state block {recorded.StateBlock} gives digest {digest?.ToString() ?? "none"}, the log holds {recorded.ReportDigest}");
        }

        var proposal = ProposalBuilder.Build(evaluation, recorded.StateBlock, recorded.ProposalId, _aggregatorId);
        return new RoundCloseResult(proposal, AlreadyClosed: true) { Report = evaluation.Report, ReportDigest = digest, Reporters = snapshot.Reporters };
    }

    // Why a round with nothing to propose is abandoned. Fewer valid batches than minReporters, or no token with
    // minReporters factors (section 5 step 2), is missing quorum; otherwise every token was left out by the rules
    // (cooldown, unlisted, ...), which the closed event's outcomes detail.
    private static string AbandonReason(RoundEvaluation evaluation, OracleSnapshot snapshot)
    {
        var batches = evaluation.Evidence.Count;
        var minReporters = snapshot.Parameters.MinReporters;
        if (batches < minReporters || evaluation.Result.Outcomes.All(o => o.Reason == OutcomeReason.NoQuorum))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"below quorum at the deadline: {batches} valid batch(es), minReporters {minReporters}, and no token observed by {minReporters} reporters (docs/protocol.md section 5 step 2)");
        }

        // When the commit policy (step 12) left tokens out, the reason says so: a quiet round is the policy working.
        var policy = evaluation.Result.Outcomes.Count(o => o.Reason is OutcomeReason.Unchanged or OutcomeReason.StillFrozen);
        if (policy > 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"no Commit and no Frozen entry: nothing to propose; {policy} token(s) left out by the commit policy (Unchanged or StillFrozen, docs/protocol.md section 5 step 12)");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"no Commit and no Frozen entry: every token was left out ({string.Join(", ", evaluation.Result.Outcomes.Select(o => o.Reason).Distinct())}); nothing to propose (docs/protocol.md section 5)");
    }

    // Everything in the log was verified at intake; it is verified again against this snapshot's reporter set (a
    // reporter removed since is dropped), and the selection drops equivocators (section 5).
    private RoundEvaluation Evaluate(OracleSnapshot snapshot, ReportHeader header, List<ObservationAccepted> accepted)
    {
        var verifier = new BatchVerifier(_deployment);
        var batches = accepted
            .Select(a => verifier.Verify(ToProto(a), snapshot.BatchExpectations()))
            .Where(r => r.IsValid)
            .Select(r => r.Value!)
            .ToList();
        return RoundEvaluator.Evaluate(snapshot, header, batches);
    }

    // The expected version, not the ids, makes the decision unique: a second closer (a replica, or a retry after an
    // unknown outcome) gets Marten's ConcurrencyException and re-reads the decision that won.
    private Task AppendAsync(ulong round, long expectedVersion, RoundClosed closed, object decision, CancellationToken cancellationToken) =>
        RoundAppender.AppendAtAsync(_store, round, expectedVersion, [closed, decision], cancellationToken);

    private static Protocol.V1.ObservationBatch ToProto(ObservationAccepted a) => new()
    {
        Round = a.Round,
        ReferenceBlock = a.ReferenceBlock,
        ReferenceTime = a.ReferenceTime,
        ReferenceHash = ByteString.CopyFrom(Hex.Decode(a.ReferenceHash)),
        Observations = ByteString.CopyFrom(Hex.Decode(a.Observations)),
        Signature = ByteString.CopyFrom(Hex.Decode(a.Signature)),
        Reporter = ByteString.CopyFrom(Address.Parse(a.Reporter).ToArray()),
    };
}

/// <summary>The round's stream contradicts itself or the chain (a recorded proposal cannot be rebuilt).</summary>
public sealed class RoundLogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RoundLogException(ulong round, string problem)
        : base($"round {round}: {problem}")
    {
        Round = round;
    }

    /// <summary>The round.</summary>
    public ulong Round { get; }
}
