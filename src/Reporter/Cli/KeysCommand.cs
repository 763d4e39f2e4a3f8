using System.CommandLine;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Reporter.Keys;

namespace SupplyOracle.Reporter.Cli;

/// <summary>
/// <c>keys new|import|address</c>: create, import and show the reporter key, kept in a keystore V3 file (scrypt)
/// whose password comes from a file or an environment variable, never from the command line.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(TextReader input)
    {
        var keystore = new Option<string>("--keystore") { Description = "keystore V3 file", Required = true };
        var passwordFile = new Option<string?>("--password-file") { Description = "file holding the keystore password" };
        var passwordEnv = new Option<string?>("--password-env") { Description = "environment variable holding the keystore password" };
        var privateKeyFile = new Option<string>("--private-key-file") { Description = "file holding the hex private key to import, or - for standard input", Required = true };

        var create = new Command("new", "Generate a key and write it to a new keystore; prints the address") { keystore, passwordFile, passwordEnv };
        create.SetAction((r, ct) => RunAsync(r, async output =>
        {
            var key = PrivateKey.Generate();
            await WriteAsync(r.GetValue(keystore)!, key, Password(r, passwordFile, passwordEnv), ct).ConfigureAwait(false);
            await output.WriteLineAsync(key.Address.ToString()).ConfigureAwait(false);
        }));

        var import = new Command("import", "Import a hex private key into a new keystore; prints the address") { keystore, passwordFile, passwordEnv, privateKeyFile };
        import.SetAction((r, ct) => RunAsync(r, async output =>
        {
            var path = r.GetValue(privateKeyFile)!;
            string hex;
            try
            {
                hex = path == "-" ? await input.ReadToEndAsync(ct).ConfigureAwait(false) : await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KeySetupException("--private-key-file", $"cannot read '{path}': {ex.Message}");
            }
            PrivateKey key;
            try
            {
                key = PrivateKey.Parse(hex.Trim());
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw new KeySetupException("--private-key-file", "the file does not hold a valid secp256k1 private key (32 bytes hex)");
            }
            await WriteAsync(r.GetValue(keystore)!, key, Password(r, passwordFile, passwordEnv), ct).ConfigureAwait(false);
            await output.WriteLineAsync(key.Address.ToString()).ConfigureAwait(false);
        }));

        var address = new Command("address", "Decrypt the keystore and print its address") { keystore, passwordFile, passwordEnv };
        address.SetAction((r, ct) => RunAsync(r, output =>
            output.WriteLineAsync(KeystoreSigner.Load(r.GetValue(keystore)!, Password(r, passwordFile, passwordEnv)).Address.ToString())));

        return new Command("keys", "Create, import and show the reporter's signing key") { create, import, address };
    }

    private static PasswordSource Password(ParseResult r, Option<string?> file, Option<string?> env) =>
        PasswordSource.From(r.GetValue(file), r.GetValue(env), "--password-file", "--password-env");

    private static async Task WriteAsync(string path, PrivateKey key, PasswordSource password, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            throw new KeySetupException("--keystore", $"'{path}' already exists; refusing to overwrite a key");
        }
        var json = KeystoreV3.Encrypt(key, password.Read(), KeystoreKdf.StandardScrypt);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(json), ct).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeySetupException("--keystore", $"cannot write '{path}': {ex.Message}");
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static async Task<int> RunAsync(ParseResult r, Func<TextWriter, Task> action)
    {
        try
        {
            await action(r.InvocationConfiguration.Output).ConfigureAwait(false);
            return Program.Ok;
        }
        catch (KeySetupException ex)
        {
            await r.InvocationConfiguration.Error.WriteLineAsync($"error: {ex.Setting}: {ex.Message}").ConfigureAwait(false);
            return Program.BadInput;
        }
    }
}
