using System.Diagnostics;
using SupplyOracle.Devnet.Orchestration;

namespace SupplyOracle.Devnet.Tests.Orchestration;

public sealed class DevnetEndpointsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("devnet-endpoints-").FullName;

    private static DevnetEndpoints Sample() => new(
        new Uri("http://127.0.0.1:18545/"), 15432, 31_337,
        "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b2",
        new Uri("http://127.0.0.1:17443/"), new Uri("http://127.0.0.1:17080/"),
        [("reporter-1", new Uri("http://127.0.0.1:17101/")), ("reporter-2", new Uri("http://127.0.0.1:17102/"))],
        "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "/tmp/net/keys/owner.key", "/tmp/net/logs");

    [Fact]
    public void Lines_NameEveryEndpointAnOperatorNeeds()
    {
        var text = string.Join('\n', Sample().Lines());

        Assert.Contains("aggregator gRPC     http://127.0.0.1:17443/", text, StringComparison.Ordinal);
        Assert.Contains("aggregator HTTP     http://127.0.0.1:17080/", text, StringComparison.Ordinal);
        Assert.Contains("dashboard           http://127.0.0.1:17080/dashboard", text, StringComparison.Ordinal);
        Assert.Contains("reporter-1 health   http://127.0.0.1:17101/health/ready", text, StringComparison.Ordinal);
        Assert.Contains("reporter-2 health   http://127.0.0.1:17102/health/ready", text, StringComparison.Ordinal);
        Assert.Contains("private key in /tmp/net/keys/owner.key", text, StringComparison.Ordinal);
        Assert.Contains("anvil JSON-RPC      http://127.0.0.1:18545/ (chain id 31337)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_FileIsSourceableByAShell()
    {
        var path = await Sample().WriteAsync(_dir, CancellationToken.None);

        // The file's promise is that `. endpoints.env` works: let bash source it and echo the variables back.
        var start = new ProcessStartInfo("bash", ["-c", $". '{path}' && echo \"$DEVNET_AGGREGATOR_GRPC|$DEVNET_REPORTER_2_HEALTH|$DEVNET_OWNER_KEY_FILE|$DEVNET_CHAIN_ID\""])
        {
            RedirectStandardOutput = true,
        };
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.Equal(0, bash.ExitCode);
        Assert.Equal("http://127.0.0.1:17443/|http://127.0.0.1:17102/|/tmp/net/keys/owner.key|31337", output.Trim());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
