using System.Collections.Frozen;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Bindings;

/// <summary>What a revert carried.</summary>
/// <param name="Name"><c>Error</c> (require message), <c>Panic</c>, a custom error's name, or null when unknown.</param>
/// <param name="Signature">The error signature when known.</param>
/// <param name="Arguments">The decoded arguments (empty when unknown): <see cref="Address"/> for addresses, Nethereum's default values otherwise.</param>
/// <param name="Data">The raw revert data.</param>
/// <param name="Error">The typed error record of a custom error (e.g. <c>SupplyOracleContract.PausedError</c>), else null.</param>
public sealed record DecodedRevert(string? Name, string? Signature, IReadOnlyList<object> Arguments, byte[] Data, object? Error = null)
{
    /// <summary>A short description: <c>Name(arg, ...)</c>, or the raw hex.</summary>
    public override string ToString() => Name is null
        ? $"unknown revert {Hex.Encode(Data)}"
        : $"{Name}({string.Join(", ", Arguments.Select(Format))})";

    private static string Format(object value) => value switch
    {
        byte[] b => Hex.Encode(b),
        string s => $"\"{s}\"",
        IEnumerable<object> l => $"[{string.Join(", ", l.Select(Format))}]",
        _ => value.ToString() ?? "",
    };
}

/// <summary>
/// Decodes revert data (Solidity documentation, "Error handling": Error(string), Panic(uint256), custom errors) with
/// Nethereum's error ABI: by selector, then into the error's DTO and its typed record. The generated bindings list
/// every custom error of their contract.
/// </summary>
public sealed class RevertDecoder
{
    private static readonly Entry[] s_builtIn =
    [
        new(new ErrorABI("Error") { InputParameters = [new Parameter("string", "message", 1)] }, null),
        new(new ErrorABI("Panic") { InputParameters = [new Parameter("uint256", "code", 1)] }, null),
    ];

    private readonly FrozenDictionary<string, Entry> _bySelector;

    /// <summary>A decoder for the given custom errors.</summary>
    public RevertDecoder(params Entry[] errors) =>
        _bySelector = errors.Concat(s_builtIn).ToFrozenDictionary(e => e.Abi.Sha3Signature.ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>A custom error: its Nethereum DTO (with <c>[Error]</c>) and the conversion to its typed record.</summary>
    public static Entry Error<TError>(Func<TError, object> toRecord) where TError : class, new() =>
        new(ABITypedRegistry.GetError<TError>(), hex => toRecord(hex.DecodeExceptionEncodedData<TError>()!));

    /// <summary>Decodes revert data; unknown selectors and short data give a <see cref="DecodedRevert"/> without a name.</summary>
    /// <exception cref="AbiException">the selector is known but the arguments are malformed.</exception>
    public DecodedRevert Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || !_bySelector.TryGetValue(Convert.ToHexStringLower(data[..4]), out var entry))
        {
            return new DecodedRevert(null, null, [], data.ToArray());
        }

        var hex = Hex.Encode(data);
        var arguments = ContractBinding.Decoding(entry.Abi.Name, () => entry.Abi.DecodeErrorDataToDefault(hex)
            .Select(p => p.Parameter.Type == "address" ? Address.Parse((string)p.Result) : p.Result).ToList());
        var typed = entry.ToRecord is { } toRecord ? ContractBinding.Decoding(entry.Abi.Name, () => toRecord(hex)) : null;
        return new DecodedRevert(entry.Abi.Name, entry.Abi.Signature, arguments, data.ToArray(), typed);
    }

    /// <summary>One error: its ABI and the decoder of its typed record (null for Error and Panic).</summary>
    public sealed record Entry(ErrorABI Abi, Func<string, object>? ToRecord);
}
