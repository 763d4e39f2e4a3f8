using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;

namespace SupplyOracle.Aggregator.Configuration;

/// <summary>
/// Loads the aggregator's transaction key. The <see cref="Contracts.Bindings.Transactions.TransactionSender"/> signs with
/// a <see cref="PrivateKey"/>, so this decrypts the keystore (Web3 Secret Storage V3) itself rather than going through the
/// reporter's <c>ISigner</c>. Errors name the setting at fault, never the password or the key.
/// </summary>
public static class TransmitterKeyLoader
{
    /// <summary>Reads and decrypts the key.</summary>
    /// <exception cref="AggregatorConfigurationException">A file cannot be read, the password is empty or wrong, or the key is malformed.</exception>
    public static PrivateKey Load(TransmitterKeySource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Keystore is { } keystore)
        {
            var json = Read("Aggregator:Keystore", keystore);
            var password = Read("Aggregator:PasswordFile", source.PasswordFile!).TrimEnd('\r', '\n');
            if (password.Length == 0)
            {
                throw new AggregatorConfigurationException("Aggregator:PasswordFile", $"password file '{source.PasswordFile}' is empty");
            }

            try
            {
                return KeystoreV3.Decrypt(json, password);
            }
            catch (KeystoreException e)
            {
                throw new AggregatorConfigurationException("Aggregator:Keystore", $"keystore '{keystore}' cannot be decrypted with password file '{source.PasswordFile}' ({e.Error})");
            }
        }

        var hex = Read("Aggregator:PrivateKeyFile", source.PrivateKeyFile!).Trim();
        try
        {
            return PrivateKey.Parse(hex);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new AggregatorConfigurationException("Aggregator:PrivateKeyFile", $"'{source.PrivateKeyFile}' does not hold a 32-byte hex secp256k1 key");
        }
    }

    private static string Read(string setting, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AggregatorConfigurationException(setting, $"cannot read '{path}': {e.Message}");
        }
    }
}
