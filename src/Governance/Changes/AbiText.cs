using System.Globalization;
using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Governance.Output;
using SupplyOracle.Governance.Registry;

namespace SupplyOracle.Governance.Changes;

/// <summary>
/// Decoded ABI values in words, by the parameter they fill: a kind or parameter name as its text (<c>kind=team</c>),
/// an eta or expiry as a UTC date, the registry's op as add/remove/update, a tuple as its named members
/// (<c>params=(roundBlocks=300, ...)</c>).
/// </summary>
internal static class AbiText
{
    /// <summary>Parameters holding Unix seconds (ExcludedAddressRegistry and SupplyOracle events and errors).</summary>
    private static readonly HashSet<string> s_times = ["eta", "expiresAt", "committedAt", "referenceTime", "anchorAt"];

    /// <summary>Parameters holding a bytes32 name (Solidity <c>bytes32("team")</c>).</summary>
    private static readonly HashSet<string> s_names = ["kind", "name"];

    /// <summary><c>name=value, ...</c> of decoded values.</summary>
    public static string Members(IEnumerable<ParameterOutput> values) =>
        string.Join(", ", values.Select(o => $"{(string.IsNullOrEmpty(o.Parameter.Name) ? "result" : o.Parameter.Name)}={Value(o.Parameter, o.Result)}"));

    /// <summary>One decoded value in words.</summary>
    public static string Value(Parameter parameter, object value) => value switch
    {
        List<ParameterOutput> members => $"({Members(members)})",
        byte[] { Length: 32 } word when s_names.Contains(parameter.Name) => RevertExplainer.Bytes32Text(new Hash32(word)),
        byte[] bytes => Hex.Encode(bytes),
        // The contracts keep times as uint40 (ExcludedAddressRegistry.Proposal, OracleGovernance.TokenInfo).
        BigInteger seconds when s_times.Contains(parameter.Name) && seconds > 0 && seconds < BigInteger.One << 40 => Printer.Time((ulong)seconds),
        BigInteger op when parameter.Name == "op" && parameter.Type == "uint8" => ProposalStates.Op((ulong)op),
        System.Collections.IEnumerable list and not string => $"[{string.Join(", ", list.Cast<object>().Select(o => Value(parameter, o)))}]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
