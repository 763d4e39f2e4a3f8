using System.Diagnostics.CodeAnalysis;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Verification;

/// <summary>
/// The outcome of verifying a received message: the verified value, or a <see cref="ProtocolRejection"/>.
/// <see cref="MessageHash"/> is the message's EIP-712 digest whenever the message parsed far enough to compute it
/// (the <c>message_hash</c> of the acknowledgement; with the signer, the key batches are deduplicated by).
/// </summary>
/// <typeparam name="T">The verified value.</typeparam>
public sealed class VerificationResult<T>
    where T : class
{
    private VerificationResult(T? value, ProtocolRejection? rejection, Hash32? messageHash)
    {
        Value = value;
        Rejection = rejection;
        MessageHash = messageHash;
    }

    /// <summary>True when the message verified.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Value is not null;

    /// <summary>The verified value, or null when rejected.</summary>
    public T? Value { get; }

    /// <summary>Why the message was rejected, or null when it verified.</summary>
    public ProtocolRejection? Rejection { get; }

    /// <summary>The EIP-712 digest of the message when it could be computed.</summary>
    public Hash32? MessageHash { get; }

    /// <summary>A verified value.</summary>
    public static VerificationResult<T> Valid(T value, Hash32 messageHash) =>
        new(value ?? throw new ArgumentNullException(nameof(value)), null, messageHash);

    /// <summary>A rejection.</summary>
    public static VerificationResult<T> Rejected(ProtocolRejection rejection, Hash32? messageHash = null) =>
        new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)), messageHash);

    /// <summary>The value, or throws <see cref="ProtocolRejectionException"/>.</summary>
    public T GetValueOrThrow() => IsValid ? Value : throw new ProtocolRejectionException(Rejection);
}
