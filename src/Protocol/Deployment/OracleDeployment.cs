using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Deployment;

/// <summary>
/// One deployment of the protocol: the chain and the two contracts every party reads. The EIP-712 domain of every
/// signed message (docs/protocol.md section 7) is <c>{name "SupplyOracle", version "1", chainId, verifyingContract =
/// <see cref="Oracle"/>}</c>, so a signature for one deployment never verifies for another.
/// </summary>
public sealed record OracleDeployment
{
    /// <summary>Creates a deployment; throws <see cref="ArgumentException"/> for a zero chain id or a zero address.</summary>
    public OracleDeployment(ulong chainId, Address oracle, Address registry)
    {
        ArgumentOutOfRangeException.ThrowIfZero(chainId);
        if (oracle.IsZero)
        {
            throw new ArgumentException("the SupplyOracle address cannot be zero", nameof(oracle));
        }

        if (registry.IsZero)
        {
            throw new ArgumentException("the ExcludedAddressRegistry address cannot be zero", nameof(registry));
        }

        ChainId = chainId;
        Oracle = oracle;
        Registry = registry;
        TypedData = new SupplyOracleTypedData(chainId, oracle);
    }

    /// <summary>The EIP-155 chain id.</summary>
    public ulong ChainId { get; }

    /// <summary>The SupplyOracle contract (the EIP-712 verifying contract).</summary>
    public Address Oracle { get; }

    /// <summary>The ExcludedAddressRegistry contract.</summary>
    public Address Registry { get; }

    /// <summary>The EIP-712 hasher of this deployment's messages (docs/protocol.md section 7).</summary>
    public SupplyOracleTypedData TypedData { get; }

    /// <summary>Equal when chain and both addresses are equal.</summary>
    public bool Equals(OracleDeployment? other) =>
        other is not null && ChainId == other.ChainId && Oracle == other.Oracle && Registry == other.Registry;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ChainId, Oracle, Registry);
}
