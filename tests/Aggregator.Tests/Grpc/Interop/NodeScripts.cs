using System.Diagnostics;
using System.Text.Json;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Grpc.Interop;

/// <summary>Runs grpc-js scenarios (grpcjs-client.js) with deploy/node_modules on NODE_PATH and proto/ as PROTO_ROOT.</summary>
public static class NodeScripts
{
    /// <summary>Runs one scenario against <paramref name="server"/> and returns the JSON it printed.</summary>
    public static async Task<JsonElement> RunClientAsync(Uri server, string scenario, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(RepoPaths.Node())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Grpc", "Interop", "grpcjs-client.js"));
        psi.ArgumentList.Add($"{server.Host}:{server.Port}");
        psi.ArgumentList.Add(scenario);
        psi.Environment["NODE_PATH"] = RepoPaths.NodeModules;
        psi.Environment["PROTO_ROOT"] = Path.Combine(RepoPaths.Root, "proto");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"grpc-js scenario {scenario} failed ({process.ExitCode}): {await stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
