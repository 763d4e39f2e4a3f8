using System.Text;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Devnet.Chain;

/// <summary>
/// The registry's kind and evidence words (docs/protocol.md section 10): a kind is its ASCII name left-aligned in a bytes32,
/// as Solidity's <c>bytes32("vesting")</c>; evidence is the keccak256 of a document (here a generated memo).
/// </summary>
internal static class ExclusionKinds
{
    /// <summary>The kind word of <paramref name="name"/> (one of the section 10 kinds; the registry rejects others).</summary>
    public static Hash32 Encode(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Span<byte> word = stackalloc byte[Hash32.Size];
        if (Encoding.ASCII.GetBytes(name, word) != name.Length)
        {
            throw new ArgumentException($"kind '{name}' is not ASCII of at most 32 bytes", nameof(name));
        }

        return new Hash32(word);
    }

    /// <summary>The evidence memo for an exclusion at deployment.</summary>
    public static string Memo(TokenPlan token, Holding holding) =>
        $"Supply Oracle local network: {token.Symbol} {holding.Label} ({holding.Account}) holds {holding.Amount} units; excluded as {holding.DeploymentExclusionKind ?? "exchange-cold"}.\n";
}
