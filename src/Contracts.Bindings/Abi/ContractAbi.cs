using System.Text;
using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Crypto;

namespace SupplyOracle.Contracts.Bindings.Abi;

/// <summary>A function of a contract ABI (Solidity ABI specification, "JSON").</summary>
/// <param name="Name">The name.</param>
/// <param name="Inputs">The arguments.</param>
/// <param name="Outputs">The return values.</param>
/// <param name="StateMutability"><c>pure</c>, <c>view</c>, <c>nonpayable</c> or <c>payable</c>.</param>
public sealed record AbiFunction(string Name, IReadOnlyList<AbiParameter> Inputs, IReadOnlyList<AbiParameter> Outputs, string StateMutability)
{
    /// <summary>The canonical signature, e.g. <c>transfer(address,uint256)</c>.</summary>
    public string Signature => AbiSignatures.Of(Name, Inputs);

    /// <summary>The 4-byte selector: the first four bytes of keccak256 of the signature.</summary>
    public byte[] Selector => AbiSignatures.Selector(Signature);

    /// <summary>True for <c>view</c> and <c>pure</c> functions.</summary>
    public bool IsReadOnly => StateMutability is "view" or "pure";

    /// <summary>Encodes a call: selector and arguments.</summary>
    public byte[] EncodeCall(params object[] arguments) =>
        AbiEncoder.EncodeCall(Selector, [.. Inputs.Select(i => i.Type)], arguments);

    /// <summary>Decodes the return data.</summary>
    public IReadOnlyList<object> DecodeOutput(ReadOnlySpan<byte> returnData) => AbiDecoder.Decode([.. Outputs.Select(o => o.Type)], returnData);
}

/// <summary>A custom error of a contract ABI (Solidity 0.8.4+).</summary>
/// <param name="Name">The name.</param>
/// <param name="Inputs">The arguments.</param>
public sealed record AbiError(string Name, IReadOnlyList<AbiParameter> Inputs)
{
    /// <summary>The canonical signature.</summary>
    public string Signature => AbiSignatures.Of(Name, Inputs);

    /// <summary>The 4-byte selector.</summary>
    public byte[] Selector => AbiSignatures.Selector(Signature);
}

/// <summary>Builds signatures and selectors.</summary>
public static class AbiSignatures
{
    /// <summary><c>name(T1,T2)</c> with canonical type names.</summary>
    public static string Of(string name, IReadOnlyList<AbiParameter> inputs) =>
        $"{name}({string.Join(',', inputs.Select(i => i.Type.CanonicalName))})";

    /// <summary>The first four bytes of keccak256 of a signature.</summary>
    public static byte[] Selector(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).ToArray()[..4];
}

/// <summary>A contract's ABI: its functions, events and errors, parsed from the Solidity ABI JSON.</summary>
public sealed class ContractAbi
{
    private ContractAbi(IReadOnlyList<AbiFunction> functions, IReadOnlyList<AbiEvent> events, IReadOnlyList<AbiError> errors,
        IReadOnlyList<AbiParameter>? constructorInputs)
    {
        Functions = functions;
        Events = events;
        Errors = errors;
        ConstructorInputs = constructorInputs ?? [];
    }

    /// <summary>The functions.</summary>
    public IReadOnlyList<AbiFunction> Functions { get; }

    /// <summary>The events.</summary>
    public IReadOnlyList<AbiEvent> Events { get; }

    /// <summary>The custom errors.</summary>
    public IReadOnlyList<AbiError> Errors { get; }

    /// <summary>The constructor's arguments (empty when there is no explicit constructor).</summary>
    public IReadOnlyList<AbiParameter> ConstructorInputs { get; }

    /// <summary>The function of that name; throws if there is none or it is overloaded.</summary>
    public AbiFunction Function(string name) => Single(Functions.Where(f => f.Name == name), "function", name);

    /// <summary>The event of that name.</summary>
    public AbiEvent Event(string name) => Single(Events.Where(f => f.Name == name), "event", name);

    /// <summary>The error of that name.</summary>
    public AbiError Error(string name) => Single(Errors.Where(f => f.Name == name), "error", name);

    /// <summary>Decodes revert data into <c>Error(string)</c>, <c>Panic(uint256)</c> or one of this ABI's errors.</summary>
    public DecodedRevert DecodeRevert(ReadOnlySpan<byte> revertData) => RevertDecoder.Decode(revertData, Errors);

    /// <summary>Parses an ABI JSON array, or an artifact object holding it under <c>abi</c>.</summary>
    /// <exception cref="FormatException">malformed ABI JSON.</exception>
    public static ContractAbi Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    /// <summary>Parses an ABI JSON array, or an artifact object holding it under <c>abi</c>.</summary>
    public static ContractAbi Parse(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("abi", out var abi))
        {
            root = abi;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("an ABI is a JSON array (or an object with an 'abi' array)");
        }

        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        IReadOnlyList<AbiParameter>? constructor = null;
        foreach (var item in root.EnumerateArray())
        {
            var kind = item.TryGetProperty("type", out var t) ? t.GetString() : "function";
            var name = item.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            switch (kind)
            {
                case "function":
                    functions.Add(new AbiFunction(name, Parameters(item, "inputs"), Parameters(item, "outputs"),
                        item.TryGetProperty("stateMutability", out var m) ? m.GetString() ?? "nonpayable" : "nonpayable"));
                    break;
                case "event":
                    events.Add(new AbiEvent(name, Parameters(item, "inputs"),
                        item.TryGetProperty("anonymous", out var a) && a.GetBoolean()));
                    break;
                case "error":
                    errors.Add(new AbiError(name, Parameters(item, "inputs")));
                    break;
                case "constructor":
                    constructor = Parameters(item, "inputs");
                    break;
                case "fallback" or "receive":
                    break;
                default:
                    throw new FormatException($"unknown ABI entry type '{kind}'");
            }
        }

        return new ContractAbi(functions, events, errors, constructor);
    }

    private static List<AbiParameter> Parameters(JsonElement item, string property)
    {
        var list = new List<AbiParameter>();
        if (!item.TryGetProperty(property, out var array))
        {
            return list;
        }

        foreach (var p in array.EnumerateArray())
        {
            list.Add(Parameter(p));
        }

        return list;
    }

    private static AbiParameter Parameter(JsonElement p)
    {
        var type = p.GetProperty("type").GetString() ?? throw new FormatException("ABI parameter without a type");
        var name = p.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var indexed = p.TryGetProperty("indexed", out var i) && i.GetBoolean();
        var internalType = p.TryGetProperty("internalType", out var it) ? it.GetString() : null;
        AbiType abiType;
        if (type.StartsWith("tuple", StringComparison.Ordinal))
        {
            var tuple = new AbiTupleType(Parameters(p, "components"));
            abiType = tuple;
            // "tuple[2][]": wrap the tuple in the array suffixes, innermost first.
            var suffix = type[5..];
            while (suffix.Length > 0)
            {
                var close = suffix.IndexOf(']', StringComparison.Ordinal);
                if (suffix[0] != '[' || close < 0)
                {
                    throw new FormatException($"bad tuple type '{type}'");
                }

                var inner = suffix[1..close];
                abiType = new AbiArrayType(abiType, inner.Length == 0 ? null : int.Parse(inner, System.Globalization.CultureInfo.InvariantCulture));
                suffix = suffix[(close + 1)..];
            }
        }
        else
        {
            abiType = AbiType.Parse(type);
        }

        return new AbiParameter(name, abiType, indexed, internalType);
    }

    private static T Single<T>(IEnumerable<T> items, string kind, string name)
    {
        var list = items.Take(2).ToList();
        return list.Count switch
        {
            1 => list[0],
            0 => throw new KeyNotFoundException($"the ABI has no {kind} '{name}'"),
            _ => throw new InvalidOperationException($"the ABI has several {kind}s '{name}' (overloads): select by signature"),
        };
    }
}
