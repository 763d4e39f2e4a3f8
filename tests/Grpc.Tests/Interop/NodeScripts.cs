using System.Diagnostics;
using System.Text.Json;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Grpc.Tests.Interop;

/// <summary>Runs the grpc-js scripts of this folder with deploy/node_modules on NODE_PATH.</summary>
public static class NodeScripts
{
    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", name);

    private static Dictionary<string, string> Environment() => new()
    {
        ["NODE_PATH"] = RepoPaths.NodeModules,
        ["PROTO_ROOT"] = Path.Combine(RepoPaths.Root, "proto"),
    };

    /// <summary>Runs one grpc-js client scenario and returns the JSON it printed.</summary>
    public static async Task<JsonElement> RunClientAsync(Uri server, string scenario, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(RepoPaths.Node())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Script("grpcjs-client.js"));
        psi.ArgumentList.Add($"{server.Host}:{server.Port}");
        psi.ArgumentList.Add(scenario);
        foreach (var (k, v) in Environment().Concat(environment ?? new Dictionary<string, string>()))
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"grpc-js client scenario {scenario} failed ({process.ExitCode}): {await stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>Starts the grpc-js Echo server on a free port; returns once it listens.</summary>
    public static async Task<(TiedProcess Process, Uri Address)> StartServerAsync()
    {
        var process = TiedProcess.Start("grpcjs-server", RepoPaths.Node(), [Script("grpcjs-server.js"), "0"], environment: Environment());
        var deadline = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(30))
        {
            var line = process.RecentOutput.Split('\n').FirstOrDefault(l => l.StartsWith("listening ", StringComparison.Ordinal));
            if (line is not null)
            {
                return (process, new Uri($"http://127.0.0.1:{line["listening ".Length..]}"));
            }

            if (!process.IsRunning)
            {
                break;
            }

            await Task.Delay(50);
        }

        var output = process.RecentOutput;
        await process.DisposeAsync();
        throw new InvalidOperationException($"grpc-js server did not start: {output}");
    }
}
