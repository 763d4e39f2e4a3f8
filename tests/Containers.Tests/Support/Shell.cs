using System.Diagnostics;

namespace SupplyOracle.Containers.Tests.Support;

/// <summary>Runs a command of the build (bases.sh, dotnet publish) and fails with its output when it fails.</summary>
public static class Shell
{
    /// <summary>Runs <paramref name="file"/> in the repository root; returns its standard output.</summary>
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = SupplyOracle.TestSupport.RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException(
                $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stderr}\n{await stdout}");
    }
}
