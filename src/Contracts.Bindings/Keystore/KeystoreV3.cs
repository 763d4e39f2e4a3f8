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
        byte[] key;
        try
        {
            // Nethereum reads the file into its model; the limits are checked on that model before any derivation.
            key = new KeyStoreKdfChecker().GetKeyStoreKdfType(json) == KeyStoreKdfChecker.KdfType.scrypt
                ? Open(new KeyStoreScryptService(), json, password, p => CheckScrypt(p.N, p.R, p.P))
                : Open(new KeyStorePbkdf2Service(), json, password, CheckPbkdf2);
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

    private static byte[] Open<T>(KeyStoreServiceBase<T> service, string json, string password, Action<T> checkKdf) where T : KdfParams
    {
        var keystore = service.DeserializeKeyStoreFromJson(json) ?? throw new KeystoreException(KeystoreError.Malformed, "a keystore is a JSON object");
        var crypto = keystore.Crypto ?? throw new KeystoreException(KeystoreError.Malformed, "no crypto section");
        if (keystore.Version != 3)
        {
            throw new KeystoreException(KeystoreError.Unsupported, "only version 3 keystores are supported");
        }

        if (crypto.Cipher != "aes-128-ctr")
        {
            throw new KeystoreException(KeystoreError.Unsupported, $"cipher '{crypto.Cipher}' is not supported (aes-128-ctr is)");
        }

        if (crypto.Mac is not { Length: 64 } mac || !Primitives.Hex.TryDecode(mac, out _))
        {
            throw new KeystoreException(KeystoreError.Malformed, "the MAC is missing or not 32 bytes of hex");
        }

        var parameters = crypto.Kdfparams ?? throw new KeystoreException(KeystoreError.Malformed, "no kdfparams");
        if (parameters.Dklen != 32)
        {
            throw new KeystoreException(KeystoreError.Unsupported, "dklen must be 32");
        }

        checkKdf(parameters);
        return service.DecryptKeyStore(password, keystore);
    }

    private static void CheckScrypt(long n, long r, long p)
    {
        if (n < 2 || (n & (n - 1)) != 0 || r < 1 || p < 1 || 128 * n * r > MaxScryptMemory || n * p > MaxScryptWork)
        {
            throw new KeystoreException(KeystoreError.Unsupported, $"scrypt parameters n={n} r={r} p={p} are invalid or beyond the limits");
        }
    }

    private static void CheckPbkdf2(Pbkdf2Params parameters)
    {
        if (parameters.Prf != "hmac-sha256")
        {
            throw new KeystoreException(KeystoreError.Unsupported, $"PBKDF2 prf '{parameters.Prf}' is not supported (hmac-sha256 is)");
        }

        if (parameters.Count < 1 || parameters.Count > MaxPbkdf2Iterations)
        {
            throw new KeystoreException(KeystoreError.Unsupported, $"PBKDF2 iteration count {parameters.Count} is invalid or beyond the limit");
        }
    }
}
