using Nethereum.RPC.Eth.DTOs;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>
/// Which block a state read is made at (EIP-1898): a number, a hash (optionally requiring it to be canonical), or a
/// tag. docs/protocol.md section 3 reads everything at the reference block's number.
/// </summary>
public readonly record struct BlockId
{
    private BlockId(ulong? number, Hash32? hash, bool requireCanonical, string? tag)
    {
        Number = number;
        Hash = hash;
        RequireCanonical = requireCanonical;
        Tag = tag;
    }

    /// <summary>The block number, when given by number.</summary>
    public ulong? Number { get; }

    /// <summary>The block hash, when given by hash.</summary>
    public Hash32? Hash { get; }

    /// <summary>With a hash: fail unless the block is on the canonical chain (EIP-1898 <c>requireCanonical</c>).</summary>
    public bool RequireCanonical { get; }

    /// <summary>The tag, when given by tag.</summary>
    public string? Tag { get; }

    /// <summary>The latest block.</summary>
    public static BlockId Latest => new(null, null, false, "latest");

    /// <summary>The pending block (for nonces).</summary>
    public static BlockId Pending => new(null, null, false, "pending");

    /// <summary>A block by number.</summary>
    public static BlockId AtNumber(ulong number) => new(number, null, false, null);

    /// <summary>A block by hash (EIP-1898).</summary>
    public static BlockId AtHash(Hash32 hash, bool requireCanonical = true) => new(null, hash, requireCanonical, null);

    /// <summary>
    /// The parameter Nethereum sends: a <see cref="BlockParameter"/> for a number or a tag, and the EIP-1898 object
    /// <c>{"blockHash", "requireCanonical"}</c> for a hash (which Nethereum's block parameter does not express).
    /// </summary>
    internal object ToRpcParameter() => Hash is { } h
        ? new Dictionary<string, object> { ["blockHash"] = h.ToString(), ["requireCanonical"] = RequireCanonical }
        : ToBlockParameter();

    /// <summary>Nethereum's block parameter of a number or a tag.</summary>
    /// <exception cref="InvalidOperationException">the block is given by hash.</exception>
    internal BlockParameter ToBlockParameter() => Number is { } n
        ? new BlockParameter(n)
        : Tag switch
        {
            null or "latest" => BlockParameter.CreateLatest(),
            "pending" => BlockParameter.CreatePending(),
            _ => throw new InvalidOperationException($"block {this} has no number or tag"),
        };

    /// <summary>Describes the block.</summary>
    public override string ToString() => Hash is { } h ? h.ToString() : Number is { } n ? $"#{n}" : Tag ?? "latest";
}
