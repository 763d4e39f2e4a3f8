using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Abi;

/// <summary>What a revert carried.</summary>
/// <param name="Name"><c>Error</c> (require message), <c>Panic</c>, a custom error's name, or null when unknown.</param>
/// <param name="Signature">The error signature when known.</param>
/// <param name="Arguments">The decoded arguments (empty when unknown).</param>
/// <param name="Data">The raw revert data.</param>
public sealed record DecodedRevert(string? Name, string? Signature, IReadOnlyList<object> Arguments, byte[] Data)
{
    /// <summary>A short description: <c>Name(arg, ...)</c>, or the raw hex.</summary>
    public override string ToString() => Name is null
        ? $"unknown revert {Hex.Encode(Data)}"
        : $"{Name}({string.Join(", ", Arguments.Select(Format))})";

    private static string Format(object value) => value switch
    {
        byte[] b => Hex.Encode(b),
        string s => $"\"{s}\"",
        IReadOnlyList<object> l => $"[{string.Join(", ", l.Select(Format))}]",
        _ => value.ToString() ?? "",
    };
}

/// <summary>Decodes revert data (Solidity documentation, "Error handling": Error(string), Panic(uint256), custom errors).</summary>
internal static class RevertDecoder
{
    private static readonly AbiError s_error = new("Error", [new AbiParameter("message", AbiStringType.Instance)]);
    private static readonly AbiError s_panic = new("Panic", [new AbiParameter("code", new AbiUIntType(256))]);

    internal static DecodedRevert Decode(ReadOnlySpan<byte> data, IReadOnlyList<AbiError> errors)
    {
        if (data.Length < 4)
        {
            return new DecodedRevert(null, null, [], data.ToArray());
        }

        var selector = data[..4];
        foreach (var error in errors.Append(s_error).Append(s_panic))
        {
            if (selector.SequenceEqual(error.Selector))
            {
                var args = AbiDecoder.Decode([.. error.Inputs.Select(i => i.Type)], data[4..]);
                return new DecodedRevert(error.Name, error.Signature, args, data.ToArray());
            }
        }

        return new DecodedRevert(null, null, [], data.ToArray());
    }
}
