using System.Globalization;
using System.Text;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>EIP-191 signed data.</summary>
public static class Eip191
{
    /// <summary>
    /// Version 0x45 (personal_sign): keccak256("\x19Ethereum Signed Message:\n" + decimal length + message).
    /// </summary>
    public static Hash32 HashMessage(ReadOnlySpan<byte> message)
    {
        var prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(CultureInfo.InvariantCulture));
        var buffer = new byte[prefix.Length + message.Length];
        prefix.CopyTo(buffer, 0);
        message.CopyTo(buffer.AsSpan(prefix.Length));
        return Keccak256.Hash(buffer);
    }

    /// <summary>Version 0x45 of a UTF-8 string.</summary>
    public static Hash32 HashMessage(string message) => HashMessage(Encoding.UTF8.GetBytes(message));

    /// <summary>Version 0x00 (data with intended validator): keccak256(0x19 0x00 validator data).</summary>
    public static Hash32 HashWithValidator(Address validator, ReadOnlySpan<byte> data)
    {
        var buffer = new byte[2 + Address.Size + data.Length];
        buffer[0] = 0x19;
        validator.CopyTo(buffer.AsSpan(2));
        data.CopyTo(buffer.AsSpan(22));
        return Keccak256.Hash(buffer);
    }

    /// <summary>Version 0x01 (EIP-712): keccak256(0x19 0x01 domainSeparator hashStruct(message)).</summary>
    public static Hash32 HashTypedData(Hash32 domainSeparator, Hash32 structHash)
    {
        Span<byte> buffer = stackalloc byte[66];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        domainSeparator.CopyTo(buffer[2..]);
        structHash.CopyTo(buffer[34..]);
        return Keccak256.Hash(buffer);
    }
}
