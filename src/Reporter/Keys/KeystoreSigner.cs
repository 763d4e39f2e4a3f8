using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Protocol.Signing;

namespace SupplyOracle.Reporter.Keys;

/// <summary>
/// Loads the reporter's <see cref="ISigner"/> from a keystore V3 file. Other backends (KMS, HSM) implement
/// <see cref="ISigner"/> and replace this loader only; nothing else in the node sees key material.
/// </summary>
public static class KeystoreSigner
{
    /// <summary>Decrypts the keystore with the password from <paramref name="password"/>.</summary>
    /// <exception cref="KeySetupException">The file cannot be read, is not a keystore, or the password is wrong.</exception>
    public static ISigner Load(string keystorePath, PasswordSource password)
    {
        ArgumentNullException.ThrowIfNull(password);
        string json;
        try
        {
            json = File.ReadAllText(keystorePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeySetupException("Keystore", $"cannot read keystore '{keystorePath}': {ex.Message}");
        }
        try
        {
            return PrivateKeySigner.FromKeystore(json, password.Read());
        }
        catch (KeystoreException ex)
        {
            throw new KeySetupException("Keystore", $"keystore '{keystorePath}' cannot be decrypted ({ex.Error}) with the {password}");
        }
    }
}
