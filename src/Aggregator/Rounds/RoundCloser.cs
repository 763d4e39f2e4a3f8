using System.Globalization;
using Google.Protobuf;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Proposals;
using SupplyOracle.Protocol.State;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Rounds;

/// <summary>The outcome of closing a round: the proposal, or null when the round was abandoned.</summary>
/// <param name="Proposal">The proposal to send to reporters, if any.</param>
/// <param name="AlreadyClosed">True when the log already held the decision (a restart or another replica).</param>
public sealed record RoundCloseResult(Protocol.V1.Proposal? Proposal, bool AlreadyClosed);

/// <summary>
/// Closes a round from the log alone (PROTOCOL.md sections 5 and 6): the accepted batches of <c>round-&lt;r&gt;</c> are
/// verified again, the oracle state is read at the head, the rules are applied with the protocol layer's
/// <see cref="RoundEvaluator"/>, and <c>round-closed.v1</c> with <c>round-proposed.v1</c> (or <c>round-abandoned.v1</c>)
/// are appended in one transaction expecting the version read, so two replicas never both decide a round.
/// </summary>
public sealed class RoundCloser
{
    private readonly IEventStore _store;
    private readonly EventTypeMap _map;
    private readonly OracleDeployment _deployment;
    private readonly OracleStateReader _reader;
    private readonly ICanonicalChain _chain;
    private readonly string _aggregatorId;

    /// <summary>Creates the closer.</summary>
    public RoundCloser(IEventStore store, EventTypeMap map, OracleDeployment deployment, OracleStateReader reader, ICanonicalChain chain, string aggregatorId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentException.ThrowIfNullOrEmpty(aggregatorId);
        _store = store;
        _map = map;
        _deployment = deployment;
        _reader = reader;
        _chain = chain;
        _aggregatorId = aggregatorId;
    }

    /// <summary>Closes round <paramref name="round"/> (idempotent: a closed round returns its recorded decision).</summary>
    /// <exception cref="EventStore.Errors.WrongExpectedVersionException">Another writer appended to the round meanwhile; call again.</exception>
    public async Task<RoundCloseResult> CloseAsync(ulong round, CancellationToken cancellationToken)
    {
        var stream = new StreamId(IntakeEventNames.RoundStream(round));
        var accepted = new List<ObservationAccepted>();
        long? version = null;
        await foreach (var recorded in _store.ReadStreamAsync(stream, ReadDirection.Forwards, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            version = recorded.Version;
            switch (recorded.Type)
            {
                case IntakeEventNames.ObservationAccepted:
                    accepted.Add((ObservationAccepted)_map.Deserialize(recorded));
                    break;
                case IntakeEventNames.EquivocationDetected:
                    accepted.Add(((EquivocationDetected)_map.Deserialize(recorded)).Second);
                    break;
                case RoundEventNames.RoundProposed:
                    var recordedProposal = (RoundProposed)_map.Deserialize(recorded);
                    return new RoundCloseResult(new Protocol.V1.Proposal { ProposalId = recordedProposal.ProposalId, StateBlock = recordedProposal.StateBlock }, AlreadyClosed: true);
                case RoundEventNames.RoundAbandoned:
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

        // Everything in the log was verified at intake; it is verified again against this snapshot's reporter set
        // (a reporter removed since is dropped), and the selection drops equivocators (section 5).
        var verifier = new BatchVerifier(_deployment);
        var batches = accepted
            .Select(a => verifier.Verify(ToProto(a), snapshot.BatchExpectations()))
            .Where(r => r.IsValid)
            .Select(r => r.Value!)
            .ToList();
        var evaluation = RoundEvaluator.Evaluate(snapshot, header, batches);
        var closed = new RoundClosed(round, snapshot.BlockNumber, evaluation.Evidence.Count,
            [.. evaluation.Selection.Equivocations.Select(e => e.Reporter.ToChecksumString())],
            [.. evaluation.Result.Outcomes.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Token}:{(o.InReport ? "in-report" : "left-out")}:{o.Reason}"))]);
        var expected = version is { } v ? ExpectedVersion.Exact(v) : ExpectedVersion.NoStream;
        if (!evaluation.ShouldPropose)
        {
            await AppendAsync(stream, expected, closed, new RoundAbandoned(round, "no Commit and no Frozen entry: nothing to propose (PROTOCOL.md section 5)"), cancellationToken).ConfigureAwait(false);
            return new RoundCloseResult(null, AlreadyClosed: false);
        }

        var proposalId = string.Create(CultureInfo.InvariantCulture, $"{_aggregatorId}/{round}/{snapshot.BlockNumber}");
        var proposal = ProposalBuilder.Build(evaluation, snapshot.BlockNumber, proposalId, _aggregatorId);
        var updates = evaluation.Report.EncodeUpdates();
        var digest = _deployment.TypedData.ReportDigest(round, header.ReferenceBlock, header.ReferenceTime, header.ReferenceHash, updates);
        var proposed = new RoundProposed(round, proposalId, snapshot.BlockNumber, digest.ToString(), Hex.Encode(updates),
            [.. evaluation.Evidence.Select(e => e.Digest.ToString())]);
        await AppendAsync(stream, expected, closed, proposed, cancellationToken).ConfigureAwait(false);
        return new RoundCloseResult(proposal, AlreadyClosed: false);
    }

    // The expected version, not the ids, makes the decision unique: a second closer (a replica, or a retry after an
    // unknown outcome) gets WrongExpectedVersion and re-reads the decision that won.
    private Task AppendAsync(StreamId stream, ExpectedVersion expected, RoundClosed closed, object decision, CancellationToken cancellationToken) =>
        _store.AppendAsync(stream, expected, [_map.ToEventData(closed, Guid.NewGuid()), _map.ToEventData(decision, Guid.NewGuid())], cancellationToken);

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
