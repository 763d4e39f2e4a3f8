namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>Why a signature was refused.</summary>
public enum InvalidSignatureReason
{
    /// <summary>Not 65 bytes.</summary>
    BadLength,

    /// <summary>v is not 27/28 (or 0/1 where accepted).</summary>
    BadRecoveryId,

    /// <summary>r is 0 or not below the group order.</summary>
    ROutOfRange,

    /// <summary>s is 0 or not below the group order.</summary>
    SOutOfRange,

    /// <summary>s is above n/2 (EIP-2 forbids it; the contract rejects it).</summary>
    HighS,

    /// <summary>r is not the x coordinate of a curve point, or recovery gave the point at infinity.</summary>
    NotRecoverable,
}

/// <summary>A signature is malformed or cannot be recovered; <see cref="Reason"/> says why.</summary>
public sealed class InvalidSignatureException(InvalidSignatureReason reason, string message) : Exception(message)
{
    /// <summary>Why the signature was refused.</summary>
    public InvalidSignatureReason Reason { get; } = reason;
}
