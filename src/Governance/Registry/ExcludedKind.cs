using System.Text;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Governance.Registry;

/// <summary>
/// The kinds of excluded address (docs/protocol.md section 10). On chain a kind is its ASCII name left-aligned in a
/// bytes32, as Solidity's <c>bytes32("vesting")</c> (ExcludedAddressRegistry.isKnownKind).
/// </summary>
internal static class ExcludedKind
{
    public static IReadOnlyList<string> Names { get; } = ["vesting", "treasury", "burn", "bridge", "team", "exchange-cold", "other"];

    /// <summary>The bytes32 of a kind name; null when the name is not a kind.</summary>
    public static Hash32? TryEncode(string name)
    {
        if (!Names.Contains(name))
        {
            return null;
        }

        Span<byte> word = stackalloc byte[Hash32.Size];
        Encoding.ASCII.GetBytes(name, word);
        return new Hash32(word);
    }
}

/// <summary>The registry's <c>Op</c> and <c>State</c> enums (ExcludedAddressRegistry.sol).</summary>
internal static class ProposalStates
{
    public static IReadOnlyList<string> Ops { get; } = ["add", "remove", "update"];

    public static string Op(ulong op) => op < (ulong)Ops.Count ? Ops[(int)op] : $"op {op}";

    public static string Name(ulong state) => state switch
    {
        0 => "none",
        1 => "pending",
        2 => "executed",
        3 => "cancelled",
        _ => $"state {state}",
    };
}
