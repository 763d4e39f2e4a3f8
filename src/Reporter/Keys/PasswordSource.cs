namespace SupplyOracle.Reporter.Keys;

/// <summary>
/// Where the keystore password comes from: a file (trailing newline removed) or an environment variable. The password
/// is never logged or printed; errors name the source, never the value.
/// </summary>
public sealed record PasswordSource
{
    private readonly string _fileSetting;
    private readonly string _environmentSetting;

    private PasswordSource(string? file, string? environmentVariable, string fileSetting, string environmentSetting)
    {
        File = file;
        EnvironmentVariable = environmentVariable;
        _fileSetting = fileSetting;
        _environmentSetting = environmentSetting;
    }

    /// <summary>The password file, when the password comes from a file.</summary>
    public string? File { get; }

    /// <summary>The environment variable, when the password comes from one.</summary>
    public string? EnvironmentVariable { get; }

    /// <summary>
    /// Exactly one of <paramref name="file"/> and <paramref name="environmentVariable"/> must be given.
    /// </summary>
    /// <exception cref="KeySetupException">None or both are given.</exception>
    /// <param name="file">The password file, or null.</param>
    /// <param name="environmentVariable">The environment variable, or null.</param>
    /// <param name="fileSetting">The name of the file setting or option (for errors).</param>
    /// <param name="environmentSetting">The name of the environment variable setting or option (for errors).</param>
    public static PasswordSource From(string? file, string? environmentVariable, string fileSetting, string environmentSetting)
    {
        var hasFile = !string.IsNullOrWhiteSpace(file);
        var hasEnv = !string.IsNullOrWhiteSpace(environmentVariable);
        return hasFile == hasEnv
            ? throw new KeySetupException(fileSetting, $"set exactly one of {fileSetting} and {environmentSetting}")
            : new PasswordSource(hasFile ? file : null, hasEnv ? environmentVariable : null, fileSetting, environmentSetting);
    }

    /// <summary>Reads the password. Errors name the setting or option the user wrote (issue 19: <c>--password-file</c> on
    /// the command line, <c>Reporter:Key:PasswordFile</c> in a configuration), as given to <see cref="From"/>.</summary>
    /// <exception cref="KeySetupException">The file cannot be read, the variable is unset, or the password is empty.</exception>
    public string Read()
    {
        string? password;
        if (File is { } path)
        {
            try
            {
                password = System.IO.File.ReadAllText(path).TrimEnd('\r', '\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KeySetupException(_fileSetting, $"cannot read password file '{path}': {ex.Message}");
            }
        }
        else
        {
            password = Environment.GetEnvironmentVariable(EnvironmentVariable!);
            if (password is null)
            {
                throw new KeySetupException(_environmentSetting, $"environment variable {EnvironmentVariable} is not set");
            }
        }
        return password.Length == 0 ? throw new KeySetupException(File is null ? _environmentSetting : _fileSetting, "the keystore password is empty") : password;
    }

    /// <summary>Names the source, never the password.</summary>
    public override string ToString() => File is { } f ? $"password file {f}" : $"environment variable {EnvironmentVariable}";
}

/// <summary>A key, keystore or password setting that cannot be used; <see cref="Setting"/> names it.</summary>
public sealed class KeySetupException(string setting, string message) : Exception(message)
{
    /// <summary>The setting or option at fault.</summary>
    public string Setting { get; } = setting;
}
