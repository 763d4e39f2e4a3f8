using System.Diagnostics;
using System.Text;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.Support;

/// <summary>Runs the independent implementations: Foundry's cast and ethers (through a node script).</summary>
internal static class Tools
{
    /// <summary>Runs cast with the arguments and returns its trimmed standard output; a non-zero exit throws.</summary>
    public static string Cast(params string[] arguments) => Run(RepoPaths.Foundry("cast"), arguments, null, null).Trim();

    /// <summary>Runs cast on many argument lists in parallel (cast is one process per call).</summary>
    public static string[] CastMany(IReadOnlyList<string[]> calls) =>
        calls.AsParallel().AsOrdered().WithDegreeOfParallelism(4).Select(c => Cast(c)).ToArray();

    /// <summary>Runs Support/ethers-oracle.js with <paramref name="input"/> (JSON) on stdin; returns its stdout (JSON).</summary>
    public static string Ethers(string input)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "ethers-oracle.js");
        var environment = new Dictionary<string, string> { ["NODE_PATH"] = RepoPaths.NodeModules };
        return Run(RepoPaths.Node(), [script], input, environment);
    }

    private static string Run(string file, IEnumerable<string> arguments, string? input, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} did not finish in 120 s");
        }

        return process.ExitCode == 0
            ? stdout
            : throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', psi.ArgumentList)} exited {process.ExitCode}: {stderr.Result}");
    }
}
