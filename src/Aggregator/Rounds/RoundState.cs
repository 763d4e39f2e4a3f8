using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Rounds;

/// <summary>Where a round is in its lifecycle (README.md "Round lifecycle").</summary>
public enum RoundStep
{
    /// <summary>Nothing recorded by the round loop yet (intake may have recorded batches).</summary>
    New,

    /// <summary><c>round-opened.v1</c>: waiting for batches until every reporter is heard or the deadline.</summary>
    Opened,

    /// <summary><c>round-proposed.v1</c>: collecting attestations.</summary>
    Proposed,

    /// <summary><c>transmission-intended.v1</c>: a commit may be in flight.</summary>
    Transmitting,

    /// <summary><c>round-confirmed.v1</c>: this aggregator's commit is confirmed.</summary>
    Confirmed,

    /// <summary><c>round-superseded.v1</c>: the oracle's <c>lastRound</c> had reached the round.</summary>
    Superseded,

    /// <summary><c>round-abandoned.v1</c> (or the transmitter's <c>round-failed.v1</c>): ended without a commit, with a reason.</summary>
    Abandoned,
}

/// <summary>
/// The in-memory fold of one <c>round-&lt;r&gt;</c> stream: everything the round loop decides is read from here, and
/// this is built from the log alone, so a restarted aggregator or another replica resumes the round at its step.
/// <see cref="Apply"/> events in stream order; unknown event types (other components') are skipped.
/// </summary>
public sealed class RoundState
{
    private readonly HashSet<Address> _heard = [];
    private readonly Dictionary<Address, AttestationAccepted> _attestations = [];
    private readonly List<string> _refusals = [];

    /// <summary>Creates the empty state of round <paramref name="round"/>.</summary>
    public RoundState(ulong round)
    {
        Round = round;
    }

    /// <summary>r.</summary>
    public ulong Round { get; }

    /// <summary>The version of the last applied event, or null when the stream is empty.</summary>
    public long? Version { get; private set; }

    /// <summary>The opening, if recorded.</summary>
    public RoundOpened? Opened { get; private set; }

    /// <summary>When the opening was appended.</summary>
    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>The proposal, if recorded.</summary>
    public RoundProposed? Proposal { get; private set; }

    /// <summary>When the proposal was appended.</summary>
    public DateTimeOffset? ProposedAt { get; private set; }

    /// <summary>True once <c>transmission-intended.v1</c> is recorded.</summary>
    public bool TransmissionIntended { get; private set; }

    /// <summary>The confirmation, if recorded.</summary>
    public RoundConfirmed? Confirmed { get; private set; }

    /// <summary>The abandonment reason, if recorded.</summary>
    public string? AbandonedReason { get; private set; }

    /// <summary>True once <c>round-superseded.v1</c> is recorded.</summary>
    public bool Superseded { get; private set; }

    /// <summary>Reporters with an accepted batch (equivocators included: they were heard, then dropped).</summary>
    public IReadOnlyCollection<Address> Heard => _heard;

    /// <summary>Accepted attestations of the recorded proposal, one per reporter.</summary>
    public IReadOnlyCollection<AttestationAccepted> Attestations => _attestations.Values;

    /// <summary>Refusals reporters sent back ("reason: detail").</summary>
    public IReadOnlyList<string> Refusals => _refusals;

    /// <summary>The lifecycle step.</summary>
    public RoundStep Step =>
        Confirmed is not null ? RoundStep.Confirmed
        : Superseded ? RoundStep.Superseded
        : AbandonedReason is not null ? RoundStep.Abandoned
        : TransmissionIntended ? RoundStep.Transmitting
        : Proposal is not null ? RoundStep.Proposed
        : Opened is not null ? RoundStep.Opened
        : RoundStep.New;

    /// <summary>True when the round needs nothing more.</summary>
    public bool IsDecided => Step is RoundStep.Confirmed or RoundStep.Superseded or RoundStep.Abandoned;

    /// <summary>Applies the next event of the stream.</summary>
    /// <exception cref="ArgumentException">The event is not the next one of this round's stream.</exception>
    public void Apply(RecordedEvent recorded, EventTypeMap map)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(map);
        if (recorded.Version != (Version ?? -1) + 1)
        {
            throw new ArgumentException($"round {Round}: event version {recorded.Version} does not follow {Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}", nameof(recorded));
        }

        Version = recorded.Version;
        switch (recorded.Type)
        {
            case IntakeEventNames.ObservationAccepted:
                _heard.Add(Address.Parse(((ObservationAccepted)map.Deserialize(recorded)).Reporter));
                break;
            case IntakeEventNames.EquivocationDetected:
                _heard.Add(Address.Parse(((EquivocationDetected)map.Deserialize(recorded)).Reporter));
                break;
            case RoundEventNames.RoundOpened:
                if (Opened is null)
                {
                    Opened = (RoundOpened)map.Deserialize(recorded);
                    OpenedAt = recorded.Created;
                }

                break;
            case RoundEventNames.RoundProposed:
                Proposal = (RoundProposed)map.Deserialize(recorded);
                ProposedAt = recorded.Created;
                _attestations.Clear();
                break;
            case RoundEventNames.AttestationAccepted:
                var attestation = (AttestationAccepted)map.Deserialize(recorded);
                if (Proposal is not null && string.Equals(attestation.ReportDigest, Proposal.ReportDigest, StringComparison.OrdinalIgnoreCase))
                {
                    _attestations.TryAdd(Address.Parse(attestation.Reporter), attestation);
                }

                break;
            case RoundEventNames.ProposalRefused:
                var refused = (ProposalRefused)map.Deserialize(recorded);
                _refusals.Add($"{refused.Reason}: {refused.Detail}");
                break;
            case RoundEventNames.RoundAbandoned:
                AbandonedReason ??= ((RoundAbandoned)map.Deserialize(recorded)).Reason;
                break;
            case TransmissionEventNames.TransmissionIntended:
                TransmissionIntended = true;
                break;
            case TransmissionEventNames.RoundConfirmed:
                Confirmed = (RoundConfirmed)map.Deserialize(recorded);
                break;
            case TransmissionEventNames.RoundSuperseded:
                Superseded = true;
                break;
            case TransmissionEventNames.RoundFailed:
                // The transmitter gave the round up (a revert, a nonce consumed elsewhere): it ends without a commit.
                var failed = (RoundFailed)map.Deserialize(recorded);
                AbandonedReason ??= $"transmission failed ({failed.Stage}{(failed.Error is null ? "" : $", {failed.Error}")}): {failed.Detail}";
                break;
            default:
                break;
        }
    }
}
