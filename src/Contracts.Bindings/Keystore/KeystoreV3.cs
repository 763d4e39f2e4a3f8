using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Generators;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Keystore;

/// <summary>The key derivation of a new keystore.</summary>
/// <param name="Kdf"><c>scrypt</c> or <c>pbkdf2</c>.</param>
/// <param name="Iterations">scrypt N (a power of two) or the PBKDF2 iteration count.</param>
/// <param name="R">scrypt r.</param>
/// <param name="P">scrypt p.</param>
public sealed record KeystoreKdf(string Kdf, int Iterations, int R = 8, int P = 1)
{
    /// <summary>geth's standard scrypt parameters (N = 2^18, r = 8, p = 1): about 256 MiB and a second per derivation.</summary>
    public static KeystoreKdf StandardScrypt { get; } = new("scrypt", 1 << 18);

    /// <summary>geth's light scrypt parameters (N = 2^12, r = 8, p = 6), for tests and low-value keys.</summary>
    public static KeystoreKdf LightScrypt { get; } = new("scrypt", 1 << 12, 8, 6);

    /// <summary>PBKDF2-HMAC-SHA256 with the spec's 262,144 iterations.</summary>
    public static KeystoreKdf Pbkdf2 { get; } = new("pbkdf2", 262_144);
}

/// <summary>Why a keystore could not be opened.</summary>
public enum KeystoreError
{
    /// <summary>Not a keystore: missing fields, bad hex, wrong lengths.</summary>
    Malformed,

    /// <summary>A version, cipher, KDF or PRF this implementation does not support, or KDF parameters beyond the safety limits.</summary>
    Unsupported,

    /// <summary>The MAC does not match: a wrong password (or a corrupted file).</summary>
    WrongPassword,
}

/// <summary>The keystore cannot be opened; <see cref="Error"/> says why.</summary>
public sealed class KeystoreException(KeystoreError error, string message) : Exception(message)
{
    /// <summary>Why.</summary>
    public KeystoreError Error { get; } = error;
}

/// <summary>
/// Web3 Secret Storage version 3 (the keystore of geth, cast and ethers): the password derives a 32-byte key with scrypt
/// or PBKDF2-HMAC-SHA256; AES-128-CTR with the first 16 bytes encrypts the private key; the MAC is
/// keccak256(DK[16..32] ‖ ciphertext).
/// </summary>
public static class KeystoreV3
{
    // Refuse KDF parameters that would let a hostile file exhaust memory or time (scrypt needs 128·N·r bytes).
    private const long MaxScryptMemory = 1L << 30;
    private const int MaxPbkdf2Iterations = 10_000_000;

    /// <summary>Decrypts a keystore JSON with the password.</summary>
    /// <exception cref="KeystoreException">malformed, unsupported, or the wrong password.</exception>
    public static PrivateKey Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new KeystoreException(KeystoreError.Malformed, $"the keystore is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != 3)
            {
                throw new KeystoreException(KeystoreError.Unsupported, "only version 3 keystores are supported");
            }

            // geth writes "crypto"; old MyEtherWallet files wrote "Crypto".
            if (!root.TryGetProperty("crypto", out var crypto) && !root.TryGetProperty("Crypto", out crypto))
            {
                throw new KeystoreException(KeystoreError.Malformed, "the keystore has no 'crypto' object");
            }

            var cipher = Text(crypto, "cipher");
            if (cipher != "aes-128-ctr")
            {
                throw new KeystoreException(KeystoreError.Unsupported, $"cipher '{cipher}' is not supported (aes-128-ctr is)");
            }

            var iv = Bytes(Member(crypto, "cipherparams"), "iv", 16);
            var ciphertext = Bytes(crypto, "ciphertext", 32);
            var mac = Bytes(crypto, "mac", 32);
            var derived = Derive(Text(crypto, "kdf"), Member(crypto, "kdfparams"), Encoding.UTF8.GetBytes(password));
            if (!CryptographicOperations.FixedTimeEquals(Mac(derived, ciphertext), mac))
            {
                throw new KeystoreException(KeystoreError.WrongPassword, "MAC mismatch: wrong password or corrupted keystore");
            }

            var secret = AesCtr(derived.AsSpan(0, 16), iv, ciphertext);
            try
            {
                var key = PrivateKey.FromBytes(secret);
                if (root.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String
                    && Address.TryParse(address.GetString(), out var stated) && stated != key.Address)
                {
                    throw new KeystoreException(KeystoreError.Malformed, $"the keystore states address {stated} but holds the key of {key.Address}");
                }

                return key;
            }
            catch (ArgumentException ex)
            {
                throw new KeystoreException(KeystoreError.Malformed, $"the decrypted secret is not a valid private key: {ex.Message}");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
                CryptographicOperations.ZeroMemory(derived);
            }
        }
    }

    /// <summary>Encrypts a key into a new keystore JSON (random salt, IV and UUID).</summary>
    public static string Encrypt(PrivateKey key, string password, KeystoreKdf? kdf = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        kdf ??= KeystoreKdf.StandardScrypt;
        var salt = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(16);
        var kdfParams = kdf.Kdf switch
        {
            "scrypt" => new JsonObject { ["dklen"] = 32, ["n"] = kdf.Iterations, ["p"] = kdf.P, ["r"] = kdf.R, ["salt"] = Convert.ToHexStringLower(salt) },
            "pbkdf2" => new JsonObject { ["c"] = kdf.Iterations, ["dklen"] = 32, ["prf"] = "hmac-sha256", ["salt"] = Convert.ToHexStringLower(salt) },
            _ => throw new ArgumentException($"unknown KDF '{kdf.Kdf}' (scrypt or pbkdf2)", nameof(kdf)),
        };
        using var parameters = JsonDocument.Parse(kdfParams.ToJsonString());
        var derived = Derive(kdf.Kdf, parameters.RootElement, Encoding.UTF8.GetBytes(password));
        var secret = key.ExportBytes();
        var ciphertext = AesCtr(derived.AsSpan(0, 16), iv, secret);
        var json = new JsonObject
        {
            ["address"] = Convert.ToHexStringLower(key.Address.ToArray()),
            ["crypto"] = new JsonObject
            {
                ["cipher"] = "aes-128-ctr",
                ["cipherparams"] = new JsonObject { ["iv"] = Convert.ToHexStringLower(iv) },
                ["ciphertext"] = Convert.ToHexStringLower(ciphertext),
                ["kdf"] = kdf.Kdf,
                ["kdfparams"] = kdfParams,
                ["mac"] = Convert.ToHexStringLower(Mac(derived, ciphertext)),
            },
            ["id"] = Guid.NewGuid().ToString(),
            ["version"] = 3,
        };
        CryptographicOperations.ZeroMemory(secret);
        CryptographicOperations.ZeroMemory(derived);
        return json.ToJsonString();
    }

    private static byte[] Derive(string kdf, JsonElement p, byte[] password)
    {
        var dklen = Int(p, "dklen");
        if (dklen != 32)
        {
            throw new KeystoreException(KeystoreError.Unsupported, $"dklen must be 32, got {dklen}");
        }

        var salt = Bytes(p, "salt", -1);
        switch (kdf)
        {
            case "scrypt":
            {
                int n = Int(p, "n"), r = Int(p, "r"), pp = Int(p, "p");
                if (n < 2 || (n & (n - 1)) != 0 || r < 1 || pp < 1 || 128L * n * r > MaxScryptMemory || (long)pp * r > 1 << 20)
                {
                    throw new KeystoreException(KeystoreError.Unsupported, $"scrypt parameters n={n} r={r} p={pp} are invalid or beyond the limits");
                }

                return SCrypt.Generate(password, salt, n, r, pp, 32);
            }

            case "pbkdf2":
            {
                var prf = Text(p, "prf");
                var c = Int(p, "c");
                if (prf != "hmac-sha256")
                {
                    throw new KeystoreException(KeystoreError.Unsupported, $"PBKDF2 prf '{prf}' is not supported (hmac-sha256 is)");
                }

                if (c < 1 || c > MaxPbkdf2Iterations)
                {
                    throw new KeystoreException(KeystoreError.Unsupported, $"PBKDF2 iteration count {c} is invalid or beyond the limit");
                }

                return Rfc2898DeriveBytes.Pbkdf2(password, salt, c, HashAlgorithmName.SHA256, 32);
            }

            default:
                throw new KeystoreException(KeystoreError.Unsupported, $"KDF '{kdf}' is not supported (scrypt and pbkdf2 are)");
        }
    }

    private static byte[] Mac(byte[] derived, byte[] ciphertext)
    {
        var body = new byte[16 + ciphertext.Length];
        derived.AsSpan(16, 16).CopyTo(body);
        ciphertext.CopyTo(body, 16);
        return Keccak256.Hash(body).ToArray();
    }

    // AES-128-CTR (NIST SP 800-38A section 6.5): the keystream is AES of the IV taken as a 128-bit big-endian counter.
    private static byte[] AesCtr(ReadOnlySpan<byte> key, byte[] iv, byte[] input)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var counter = (byte[])iv.Clone();
        var output = new byte[input.Length];
        var block = new byte[16];
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            aes.EncryptEcb(counter, block, PaddingMode.None);
            for (var i = 0; i < 16 && offset + i < input.Length; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ block[i]);
            }

            for (var i = 15; i >= 0 && ++counter[i] == 0; i--)
            {
            }
        }

        return output;
    }

    private static JsonElement Member(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new KeystoreException(KeystoreError.Malformed, $"missing '{name}'");

    private static string Text(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new KeystoreException(KeystoreError.Malformed, $"'{name}' is not a string");

    private static int Int(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : throw new KeystoreException(KeystoreError.Malformed, $"'{name}' is not an integer");

    private static byte[] Bytes(JsonElement e, string name, int length)
    {
        byte[] bytes;
        try
        {
            bytes = Hex.Decode(Text(e, name));
        }
        catch (FormatException ex)
        {
            throw new KeystoreException(KeystoreError.Malformed, $"'{name}': {ex.Message}");
        }

        return length < 0 || bytes.Length == length ? bytes : throw new KeystoreException(KeystoreError.Malformed, $"'{name}' must have {length} bytes, has {bytes.Length}");
    }
}
