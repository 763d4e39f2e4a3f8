using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Processes;

/// <summary>The built executables the network runs (deploy/devnet.sh builds the solution in Release first).</summary>
internal static class Executables
{
    /// <summary><c>supplyoracle-reporter</c>.</summary>
    public static string Reporter => Find("Reporter", "supplyoracle-reporter");

    /// <summary><c>supplyoracle-aggregator</c>.</summary>
    public static string Aggregator => Find("Aggregator", "supplyoracle-aggregator");

    /// <summary><c>supplyoracle</c> (governance CLI).</summary>
    public static string Governance => Find("Governance", "supplyoracle");

    private static string Find(string project, string name)
    {
        var path = Path.Combine(RepoPaths.Root, "src", project, "bin", "Release", "net10.0", name);
        return File.Exists(path)
            ? path
            : throw new ToolMissingException(name, path, "dotnet build SupplyOracle.sln -c Release (deploy/devnet.sh does it)");
    }
}

/// <summary>A short-lived command failed; the message holds its output.</summary>
internal sealed class CommandFailedException(string command, int exitCode, string output)
    : Exception($"{command} exited with {exitCode}:\n{output}")
{
    /// <summary>The command line (without secrets).</summary>
    public string Command { get; } = command;

    /// <summary>Its exit code.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>Runs a short-lived command to completion and returns its standard output.</summary>
internal static class CommandLine
{
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var process = System.Diagnostics.Process.Start(psi)
            ?? throw new CommandFailedException(Path.GetFileName(file), -1, "the process did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return process.ExitCode == 0
            ? output
            : throw new CommandFailedException($"{Path.GetFileName(file)} {string.Join(' ', arguments)}", process.ExitCode, output + error);
    }
}
