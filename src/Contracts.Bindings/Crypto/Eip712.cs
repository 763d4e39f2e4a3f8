using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Abi;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>One member of an EIP-712 struct type, as in ethers' <c>types</c> object.</summary>
/// <param name="Name">The member name.</param>
/// <param name="Type">Its type: an atomic or dynamic Solidity type, a struct name, or an array of either.</param>
public sealed record TypedDataField(string Name, string Type);

/// <summary>
/// The EIP-712 domain. Only the members that are set take part in <c>EIP712Domain</c>, in the order the EIP lists them
/// (name, version, chainId, verifyingContract, salt), as ethers and eth_signTypedData_v4 do.
/// </summary>
/// <param name="Name">The signing domain's name.</param>
/// <param name="Version">Its version.</param>
/// <param name="ChainId">The EIP-155 chain id.</param>
/// <param name="VerifyingContract">The contract that verifies the signatures.</param>
/// <param name="Salt">A disambiguating salt.</param>
public sealed record Eip712Domain(string? Name = null, string? Version = null, BigInteger? ChainId = null, Address? VerifyingContract = null,
    Hash32? Salt = null)
{
    /// <summary>The <c>EIP712Domain</c> fields that are present, in canonical order.</summary>
    public IReadOnlyList<TypedDataField> Fields =>
    [
        .. Name is null ? Array.Empty<TypedDataField>() : [new TypedDataField("name", "string")],
        .. Version is null ? Array.Empty<TypedDataField>() : [new TypedDataField("version", "string")],
        .. ChainId is null ? Array.Empty<TypedDataField>() : [new TypedDataField("chainId", "uint256")],
        .. VerifyingContract is null ? Array.Empty<TypedDataField>() : [new TypedDataField("verifyingContract", "address")],
        .. Salt is null ? Array.Empty<TypedDataField>() : [new TypedDataField("salt", "bytes32")],
    ];

    /// <summary>The domain separator: hashStruct(EIP712Domain).</summary>
    public Hash32 Separator
    {
        get
        {
            var types = new Dictionary<string, IReadOnlyList<TypedDataField>> { ["EIP712Domain"] = Fields };
            var values = new Dictionary<string, object>();
            if (Name is not null) values["name"] = Name;
            if (Version is not null) values["version"] = Version;
            if (ChainId is { } c) values["chainId"] = c;
            if (VerifyingContract is { } v) values["verifyingContract"] = v;
            if (Salt is { } s) values["salt"] = s.ToArray();
            return Eip712.HashStruct(types, "EIP712Domain", values);
        }
    }
}

/// <summary>
/// EIP-712 typed structured data hashing from a type description (ethers' <c>types</c> object): <c>encodeType</c>
/// with dependencies sorted by name, <c>hashStruct</c>, <c>encodeData</c> with atomic values as 32-byte ABI words,
/// <c>bytes</c>/<c>string</c> as keccak256 of their contents, arrays as keccak256 of their encoded elements and
/// structs as their hashStruct (EIP-712, "Definition of encodeData"). Values are JSON (numbers, decimal or 0x strings,
/// hex bytes, objects and arrays) or .NET values (<see cref="BigInteger"/>, <see cref="Address"/>, <c>byte[]</c>,
/// <see cref="string"/>, <see cref="bool"/>, dictionaries and lists).
/// </summary>
public static class Eip712
{
    /// <summary>keccak256(0x19 0x01 domainSeparator hashStruct(message)).</summary>
    public static Hash32 Digest(Eip712Domain domain, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string primaryType, object message)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return Eip191.HashTypedData(domain.Separator, HashStruct(types, primaryType, message));
    }

    /// <summary>
    /// The digest of an <c>eth_signTypedData_v4</c> JSON document (<c>types</c>, <c>primaryType</c>, <c>domain</c>,
    /// <c>message</c>), as <c>cast wallet sign --data</c> takes it.
    /// </summary>
    public static Hash32 DigestOfJson(string typedDataJson)
    {
        using var document = JsonDocument.Parse(typedDataJson);
        var root = document.RootElement;
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal);
        foreach (var type in root.GetProperty("types").EnumerateObject())
        {
            types[type.Name] = [.. type.Value.EnumerateArray().Select(f => new TypedDataField(f.GetProperty("name").GetString()!, f.GetProperty("type").GetString()!))];
        }

        if (!types.ContainsKey("EIP712Domain"))
        {
            throw new FormatException("typed data without an EIP712Domain type");
        }

        var domainSeparator = HashStruct(types, "EIP712Domain", root.GetProperty("domain"));
        var primary = root.GetProperty("primaryType").GetString() ?? throw new FormatException("primaryType is null");
        return Eip191.HashTypedData(domainSeparator, HashStruct(types, primary, root.GetProperty("message")));
    }

    /// <summary><c>encodeType</c>: the primary type then its referenced struct types sorted by name.</summary>
    /// <exception cref="FormatException">an unknown type, or a struct that references itself through an unknown name.</exception>
    public static string EncodeType(IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string primaryType)
    {
        ArgumentNullException.ThrowIfNull(types);
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(types, primaryType, dependencies);
        dependencies.Remove(primaryType);
        var builder = new StringBuilder();
        foreach (var name in dependencies.Prepend(primaryType))
        {
            builder.Append(name).Append('(').AppendJoin(',', types[name].Select(f => $"{f.Type} {f.Name}")).Append(')');
        }

        return builder.ToString();
    }

    /// <summary>typeHash = keccak256(encodeType).</summary>
    public static Hash32 TypeHash(IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string primaryType) =>
        Keccak256.Hash(Encoding.UTF8.GetBytes(EncodeType(types, primaryType)));

    /// <summary>hashStruct(s) = keccak256(typeHash ‖ encodeData(s)).</summary>
    /// <exception cref="FormatException">a member is missing or a value does not fit its type.</exception>
    public static Hash32 HashStruct(IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string primaryType, object value)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (!types.TryGetValue(primaryType, out var fields))
        {
            throw new FormatException($"unknown EIP-712 struct type '{primaryType}'");
        }

        var buffer = new byte[32 * (fields.Count + 1)];
        TypeHash(types, primaryType).CopyTo(buffer);
        for (var i = 0; i < fields.Count; i++)
        {
            var member = Member(value, fields[i].Name, primaryType);
            EncodeField(types, fields[i].Type, member, buffer.AsSpan(32 * (i + 1), 32), $"{primaryType}.{fields[i].Name}");
        }

        return Keccak256.Hash(buffer);
    }

    private static void CollectDependencies(IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string type, SortedSet<string> found)
    {
        var baseType = BaseType(type);
        if (!types.TryGetValue(baseType, out var fields))
        {
            return;
        }

        if (!found.Add(baseType))
        {
            return;
        }

        foreach (var field in fields)
        {
            var fieldBase = BaseType(field.Type);
            if (!types.ContainsKey(fieldBase))
            {
                _ = AbiType.Parse(fieldBase); // an unknown name is an error, not silently an atomic type
            }

            CollectDependencies(types, fieldBase, found);
        }
    }

    private static string BaseType(string type)
    {
        var bracket = type.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? type : type[..bracket];
    }

    private static void EncodeField(IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, string type, object value, Span<byte> word, string path)
    {
        try
        {
            if (type.EndsWith(']'))
            {
                var open = type.LastIndexOf('[');
                var elementType = type[..open];
                var lengthText = type[(open + 1)..^1];
                var items = Items(value, path);
                if (lengthText.Length > 0 && items.Count != int.Parse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture))
                {
                    throw new FormatException($"{path}: {type} needs {lengthText} elements, got {items.Count}");
                }

                var encoded = new byte[32 * items.Count];
                for (var i = 0; i < items.Count; i++)
                {
                    EncodeField(types, elementType, items[i], encoded.AsSpan(32 * i, 32), $"{path}[{i}]");
                }

                Keccak256.Hash(encoded, word);
            }
            else if (types.ContainsKey(type))
            {
                HashStruct(types, type, value).CopyTo(word);
            }
            else if (type == "string")
            {
                Keccak256.Hash(Encoding.UTF8.GetBytes(AsString(value, path)), word);
            }
            else if (type == "bytes")
            {
                Keccak256.Hash(AsBytes(value, path), word);
            }
            else
            {
                var abiType = AbiType.Parse(type);
                AbiEncoder.EncodeWord(abiType, Atomic(abiType, value, path), word);
            }
        }
        catch (AbiException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }

    private static object Atomic(AbiType type, object value, string path)
    {
        if (value is not JsonElement json)
        {
            return value is Hash32 h ? h.ToArray() : value;
        }

        return type switch
        {
            AbiUIntType or AbiIntType => ParseInteger(json, path),
            AbiAddressType => Address.Parse(AsString(json, path)),
            AbiBoolType => json.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new FormatException($"{path}: a bool must be true or false, got {json.ValueKind}"),
            },
            AbiFixedBytesType => Hex.Decode(AsString(json, path)),
            _ => throw new FormatException($"{path}: unsupported type {type}"),
        };
    }

    private static BigInteger ParseInteger(JsonElement json, string path)
    {
        var text = json.ValueKind switch
        {
            JsonValueKind.Number => json.GetRawText(),
            JsonValueKind.String => json.GetString()!,
            _ => throw new FormatException($"{path}: an integer must be a number or a string, got {json.ValueKind}"),
        };
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        BigInteger magnitude;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (digits.Length == 2 || !BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude))
            {
                throw new FormatException($"{path}: not a hex integer: '{text}'");
            }
        }
        else if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || !BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
        {
            throw new FormatException($"{path}: not an integer: '{text}'");
        }

        return negative ? -magnitude : magnitude;
    }

    private static string AsString(object value, string path) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString()!,
        _ => throw new FormatException($"{path}: expected a string"),
    };

    private static byte[] AsBytes(object value, string path) => value switch
    {
        byte[] b => b,
        Hash32 h => h.ToArray(),
        ReadOnlyMemory<byte> m => m.ToArray(),
        JsonElement { ValueKind: JsonValueKind.String } j => Hex.Decode(j.GetString()!),
        _ => throw new FormatException($"{path}: expected bytes (byte[] or hex string)"),
    };

    private static IReadOnlyList<object> Items(object value, string path) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } j => [.. j.EnumerateArray().Select(e => (object)e)],
        IReadOnlyList<object> list => list,
        _ => throw new FormatException($"{path}: expected an array"),
    };

    private static object Member(object value, string name, string typeName) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } j => j.TryGetProperty(name, out var m)
            ? m
            : throw new FormatException($"{typeName}: member '{name}' is missing"),
        IReadOnlyDictionary<string, object> d => d.TryGetValue(name, out var m)
            ? m
            : throw new FormatException($"{typeName}: member '{name}' is missing"),
        _ => throw new FormatException($"{typeName}: expected an object"),
    };
}
