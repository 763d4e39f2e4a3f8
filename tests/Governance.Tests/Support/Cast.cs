using System.Diagnostics;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Governance.Tests.Support;

/// <summary>Foundry's cast, the independent implementation the CLI's encodings are checked against.</summary>
public static class Cast
{
    /// <summary>Runs cast and returns its trimmed standard output; a non-zero exit fails the test.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(RepoPaths.Foundry("cast")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"cast {string.Join(' ', arguments)} failed: {await error}");
        return (await output).Trim();
    }
}
