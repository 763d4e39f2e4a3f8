using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Protocol.Verification;

/// <summary>
/// Why a received message was refused: the stable proto <see cref="RejectReason"/> that receivers branch on and a
/// human-readable <see cref="Message"/> for logs only (never branched on).
/// </summary>
/// <param name="Reason">The reason; never <see cref="RejectReason.Unspecified"/>.</param>
/// <param name="Message">The explanation.</param>
public sealed record ProtocolRejection(RejectReason Reason, string Message)
{
    /// <summary>The negative <see cref="Acknowledgement"/> of a message (its hash is the EIP-712 digest when known).</summary>
    public Acknowledgement ToAcknowledgement(Hash32? messageHash, ulong round) => new()
    {
        Accepted = false,
        Reason = Reason,
        Message = Message,
        Round = round,
        MessageHash = messageHash is { } h ? ByteString.CopyFrom(h.ToArray()) : ByteString.Empty,
    };

    /// <summary>The positive <see cref="Acknowledgement"/> of a message.</summary>
    public static Acknowledgement Accepted(Hash32 messageHash, ulong round) => new()
    {
        Accepted = true,
        Reason = RejectReason.Unspecified,
        Round = round,
        MessageHash = ByteString.CopyFrom(messageHash.ToArray()),
    };

    /// <summary>"Reason: message".</summary>
    public override string ToString() => $"{Reason}: {Message}";
}

/// <summary>Thrown by the <c>...OrThrow</c> accessors when a message was refused; carries the <see cref="ProtocolRejection"/>.</summary>
public sealed class ProtocolRejectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolRejectionException(ProtocolRejection rejection)
        : base((rejection ?? throw new ArgumentNullException(nameof(rejection))).ToString())
    {
        Rejection = rejection;
    }

    /// <summary>The rejection.</summary>
    public ProtocolRejection Rejection { get; }

    /// <summary>The proto reason, for branching and for the acknowledgement.</summary>
    public RejectReason Reason => Rejection.Reason;
}
