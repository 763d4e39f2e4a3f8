using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Crypto;
using Nethereum.KeyStore.Model;
using SupplyOracle.Contracts.Bindings.Crypto;

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
/// Web3 Secret Storage version 3 (the keystore of geth, cast and ethers) through Nethereum.KeyStore. This layer adds
/// what a node operator needs around it: typed errors (<see cref="KeystoreException"/>) and limits on the KDF
/// parameters checked before any derivation, so that a hostile file cannot exhaust memory or time.
/// </summary>
public static class KeystoreV3
{
    // scrypt needs 128·N·r bytes: geth's standard parameters take 256 MiB, Nethereum's defaults (N 2^18, r 1, p 8) 32 MiB.
    private const long MaxScryptMemory = 1L << 30;
    private const long MaxScryptWork = 1L << 24; // N·p
    private const int MaxPbkdf2Iterations = 10_000_000;

    /// <summary>Decrypts a keystore JSON with the password.</summary>
    /// <exception cref="KeystoreException">malformed, unsupported, or the wrong password.</exception>
    public static PrivateKey Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);
        CheckParameters(json);
        byte[] key;
        try
        {
            key = new KeyStoreService().DecryptKeyStoreFromJson(password, json);
        }
        catch (DecryptionException ex)
        {
            throw new KeystoreException(KeystoreError.WrongPassword, $"MAC mismatch: wrong password or corrupted keystore ({ex.Message})");
        }
        catch (Exception ex) when (ex is not KeystoreException and not OutOfMemoryException)
        {
            throw new KeystoreException(KeystoreError.Malformed, $"not a readable keystore: {ex.Message}");
        }

        try
        {
            return PrivateKey.FromBytes(key);
        }
        catch (ArgumentException ex)
        {
            throw new KeystoreException(KeystoreError.Malformed, $"the keystore holds no valid secp256k1 key: {ex.Message}");
        }
    }

    /// <summary>Encrypts <paramref name="key"/> (default: geth's standard scrypt) with Nethereum.KeyStore.</summary>
    public static string Encrypt(PrivateKey key, string password, KeystoreKdf? kdf = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        kdf ??= KeystoreKdf.StandardScrypt;
        var address = key.Address.ToString();
        return kdf.Kdf switch
        {
            "scrypt" => new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(password, key.ExportBytes(), address,
                new ScryptParams { Dklen = 32, N = kdf.Iterations, R = kdf.R, P = kdf.P }),
            "pbkdf2" => new KeyStorePbkdf2Service().EncryptAndGenerateKeyStoreAsJson(password, key.ExportBytes(), address,
                new Pbkdf2Params { Dklen = 32, Count = kdf.Iterations, Prf = "hmac-sha256" }),
            _ => throw new ArgumentException($"KDF '{kdf.Kdf}' is not supported (scrypt and pbkdf2 are)", nameof(kdf)),
        };
    }

    private static void CheckParameters(string json)
    {
        JsonNode? crypto;
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new KeystoreException(KeystoreError.Malformed, "a keystore is a JSON object");
            if (root["version"]?.GetValue<int>() is not 3)
            {
                throw new KeystoreException(KeystoreError.Unsupported, "only version 3 keystores are supported");
            }

            crypto = root["crypto"] ?? root["Crypto"] ?? throw new KeystoreException(KeystoreError.Malformed, "no crypto section");
            if ((string?)crypto["cipher"] is var cipher && cipher != "aes-128-ctr")
            {
                throw new KeystoreException(KeystoreError.Unsupported, $"cipher '{cipher}' is not supported (aes-128-ctr is)");
            }

            if ((string?)crypto["mac"] is not { Length: 64 } mac || !Primitives.Hex.TryDecode(mac, out _))
            {
                throw new KeystoreException(KeystoreError.Malformed, "the MAC is missing or not 32 bytes of hex");
            }

            var parameters = crypto["kdfparams"] ?? throw new KeystoreException(KeystoreError.Malformed, "no kdfparams");
            if (parameters["dklen"]?.GetValue<int>() is not 32)
            {
                throw new KeystoreException(KeystoreError.Unsupported, "dklen must be 32");
            }

            switch ((string?)crypto["kdf"])
            {
                case "scrypt":
                    long n = parameters["n"]!.GetValue<long>(), r = parameters["r"]!.GetValue<long>(), p = parameters["p"]!.GetValue<long>();
                    if (n < 2 || (n & (n - 1)) != 0 || r < 1 || p < 1 || 128 * n * r > MaxScryptMemory || n * p > MaxScryptWork)
                    {
                        throw new KeystoreException(KeystoreError.Unsupported, $"scrypt parameters n={n} r={r} p={p} are invalid or beyond the limits");
                    }

                    break;
                case "pbkdf2":
                    if ((string?)parameters["prf"] != "hmac-sha256")
                    {
                        throw new KeystoreException(KeystoreError.Unsupported, $"PBKDF2 prf '{(string?)parameters["prf"]}' is not supported (hmac-sha256 is)");
                    }

                    var c = parameters["c"]!.GetValue<long>();
                    if (c < 1 || c > MaxPbkdf2Iterations)
                    {
                        throw new KeystoreException(KeystoreError.Unsupported, $"PBKDF2 iteration count {c} is invalid or beyond the limit");
                    }

                    break;
                case var other:
                    throw new KeystoreException(KeystoreError.Unsupported, $"KDF '{other}' is not supported (scrypt and pbkdf2 are)");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new KeystoreException(KeystoreError.Malformed, $"not a keystore: {ex.Message}");
        }
    }
}
