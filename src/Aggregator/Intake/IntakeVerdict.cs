using System.Globalization;
using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Intake;

/// <summary>The verdict on one submitted observation batch; becomes the <see cref="Acknowledgement"/> the reporter gets.</summary>
/// <param name="MessageHash">The batch's EIP-712 digest (docs/protocol.md section 7), or the zero hash when it could not be computed.</param>
/// <param name="Round">The batch's round as sent.</param>
/// <param name="Reason">Why it was rejected; <see cref="RejectReason.Unspecified"/> when accepted.</param>
/// <param name="Message">A human-readable explanation (logs only; receivers branch on <paramref name="Reason"/>).</param>
public readonly record struct IntakeVerdict(Hash32 MessageHash, ulong Round, RejectReason Reason, string Message)
{
    /// <summary>True when the batch was accepted.</summary>
    public bool Accepted => Reason == RejectReason.Unspecified;

    /// <summary>An acceptance.</summary>
    public static IntakeVerdict Accept(Hash32 hash, ulong round) =>
        new(hash, round, RejectReason.Unspecified, string.Create(CultureInfo.InvariantCulture, $"accepted for round {round}"));

    /// <summary>The acknowledgement sent back to the reporter.</summary>
    public Acknowledgement ToAcknowledgement() => new()
    {
        MessageHash = ByteString.CopyFrom(MessageHash.ToArray()),
        Accepted = Accepted,
        Reason = Reason,
        Message = Message,
        Round = Round,
    };
}
