using System.Diagnostics;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Keys;

public sealed class KeysCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Import_AnvilDevKey_WritesKeystoreThatCastDecryptsToTheSameAddress()
    {
        var (address, key) = AnvilNode.DevAccounts[4];
        var keyFile = Write("key.hex", key + "\n");
        var passwordFile = Write("password", "correct horse\n");
        var keystore = Path.Combine(_dir, "reporter.json");

        var (code, output, _) = await RunAsync("keys", "import", "--keystore", keystore, "--password-file", passwordFile, "--private-key-file", keyFile);

        Assert.Equal(0, code);
        Assert.Equal(address, output.Trim(), ignoreCase: true);
        Assert.Equal(address, (await CastAsync("wallet", "address", "--keystore", keystore, "--password", "correct horse")).Trim(), ignoreCase: true);
        Assert.DoesNotContain("correct horse", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewThenAddress_PasswordFromEnvironment_PrintsTheSameAddress()
    {
        var variable = "REPORTER_TEST_PW_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "s3cret");
        var keystore = Path.Combine(_dir, "new.json");

        var created = await RunAsync("keys", "new", "--keystore", keystore, "--password-env", variable);
        var shown = await RunAsync("keys", "address", "--keystore", keystore, "--password-env", variable);
        var again = await RunAsync("keys", "new", "--keystore", keystore, "--password-env", variable);

        Assert.Equal(0, created.Code);
        Assert.Equal(created.Output.Trim(), shown.Output.Trim());
        Assert.Equal(2, again.Code);
        Assert.Contains("--keystore", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_WrongPassword_FailsNamingTheKeystoreWithoutThePassword()
    {
        var keystore = Path.Combine(_dir, "k.json");
        await RunAsync("keys", "import", "--keystore", keystore, "--password-file", Write("p1", "right-password"), "--private-key-file", Write("k", AnvilNode.DevAccounts[5].PrivateKey));

        var (code, _, error) = await RunAsync("keys", "address", "--keystore", keystore, "--password-file", Write("p2", "wrong-password"));

        Assert.Equal(2, code);
        Assert.StartsWith("error: Keystore:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_NoPasswordSource_FailsNamingTheOptions()
    {
        var (code, _, error) = await RunAsync("keys", "new", "--keystore", Path.Combine(_dir, "x.json"));

        Assert.Equal(2, code);
        Assert.Contains("exactly one of --password-file and --password-env", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_PasswordFileMissing_ErrorNamesTheOptionTyped()
    {
        var (code, _, error) = await RunAsync("keys", "new", "--keystore", Path.Combine(_dir, "x.json"), "--password-file", Path.Combine(_dir, "absent"));

        Assert.Equal(2, code);
        Assert.StartsWith("error: --password-file: cannot read password file", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "x.json")));
    }

    [Fact]
    public async Task DotnetRun_RelativePaths_ResolveAgainstTheUsersDirectory()
    {
        // The operator guide's first command, as typed: `dotnet run --project src/Reporter -- keys new ...` from a directory
        // of the user's, with relative paths. The Web SDK runs a project in its own directory unless told otherwise.
        Write("reporter.password", "pw\n");
        var start = new ProcessStartInfo("dotnet",
            ["run", "--no-build", "-c", "Release", "--project", Path.Combine(RepoPaths.Root, "src", "Reporter"), "--",
             "keys", "new", "--keystore", "reporter.json", "--password-file", "reporter.password"])
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        Assert.True(File.Exists(Path.Combine(_dir, "reporter.json")), $"keystore not in the user's directory; printed: {output}");
        Assert.StartsWith("0x", output.Trim(), StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync(args, TextReader.Null, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<string> CastAsync(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(RepoPaths.Foundry("cast"), args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return output;
    }
}
