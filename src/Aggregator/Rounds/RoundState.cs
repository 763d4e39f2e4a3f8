using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using JasperFx.Events;

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

    /// <summary>The Marten version of the last applied event (1-based: the number of events applied), 0 when the stream is empty.</summary>
    public long Version { get; private set; }

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

    /// <summary>Applies the next event of the stream (as Marten read it: version, timestamp and body).</summary>
    /// <exception cref="ArgumentException">The event is not the next one of this round's stream.</exception>
    public void Apply(IEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (recorded.Version != Version + 1)
        {
            throw new ArgumentException($"round {Round}: event version {recorded.Version} does not follow {Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}", nameof(recorded));
        }

        Version = recorded.Version;
        switch (recorded.Data)
        {
            case ObservationAccepted accepted:
                _heard.Add(Address.Parse(accepted.Reporter));
                break;
            case EquivocationDetected equivocation:
                _heard.Add(Address.Parse(equivocation.Reporter));
                break;
            case RoundOpened opened:
                if (Opened is null)
                {
                    Opened = opened;
                    OpenedAt = recorded.Timestamp;
                }

                break;
            case RoundProposed proposed:
                Proposal = proposed;
                ProposedAt = recorded.Timestamp;
                _attestations.Clear();
                break;
            case AttestationAccepted attestation:
                if (Proposal is not null && string.Equals(attestation.ReportDigest, Proposal.ReportDigest, StringComparison.OrdinalIgnoreCase))
                {
                    _attestations.TryAdd(Address.Parse(attestation.Reporter), attestation);
                }

                break;
            case ProposalRefused refused:
                _refusals.Add($"{refused.Reason}: {refused.Detail}");
                break;
            case RoundAbandoned abandoned:
                AbandonedReason ??= abandoned.Reason;
                break;
            case Transmission.TransmissionIntended:
                TransmissionIntended = true;
                break;
            case RoundConfirmed confirmed:
                Confirmed = confirmed;
                break;
            case RoundSuperseded:
                Superseded = true;
                break;
            case RoundFailed failed:
                // The transmitter gave the round up (a revert, a nonce consumed elsewhere): it ends without a commit.
                AbandonedReason ??= $"transmission failed ({failed.Stage}{(failed.Error is null ? "" : $", {failed.Error}")}): {failed.Detail}";
                break;
            default:
                break;
        }
    }
}
