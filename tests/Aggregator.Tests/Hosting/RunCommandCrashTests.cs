using System.Globalization;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Hosting;

/// <summary>
/// The real <c>supplyoracle-aggregator run</c> process, killed abruptly (the <c>Aggregator:Testing:CrashAfter</c> test
/// hook: <c>Environment.FailFast</c> right after the step's event is durable) at each lifecycle step, then restarted,
/// with five in-process reporters on a live chain: no round is committed twice, the sender sends one transaction per
/// commit, no accepted batch is lost and every round ends committed or explicitly abandoned.
/// </summary>
public sealed class RunCommandCrashTests(LiveNetwork live) : IClassFixture<LiveNetwork>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("aggregator-crash").FullName;

    [Theory]
    [InlineData("round-opened.v1")]
    [InlineData("round-proposed.v1")]
    [InlineData("attestation-accepted.v1")]
    [InlineData("transmission-intended.v1")]
    [InlineData("round-confirmed.v1")]
    public async Task Run_KilledAfterStepThenRestarted_EveryRoundSettledOnceAndNoBatchLost(string step)
    {
        var port = FreePort.Next();
        var config = WriteConfig(port);
        await using var reporters = new LiveReporters(live.Network, [new Uri($"http://127.0.0.1:{port}")]);
        await using (var crashing = Start(config, step))
        {
            using var wait = new CancellationTokenSource(Timeout);
            await crashing.WaitForExitAsync(wait.Token);
            Assert.NotEqual(0, crashing.ExitCode);
            Assert.Contains($"TEST HOOK Aggregator:Testing:CrashAfter={step}", crashing.RecentOutput, StringComparison.Ordinal);
        }

        var crashed = await RoundWithAsync(step, 1);
        await using var restarted = Start(config, crashAfter: null);
        var confirmed = await live.NextConfirmedAsync(crashed, Timeout);
        var crashedState = await live.DecidedAsync(crashed, Timeout);
        await restarted.StopAsync();

        Assert.True(restarted.ExitCode == 0, $"exit code {restarted.ExitCode} after SIGTERM:\n{restarted.RecentOutput}");
        // A round opened before the reporters started has no batch (it stays open below quorum until a later commit
        // supersedes it); one mined while deploying shares its timestamp with the round before (TooSoon): it is
        // abandoned with nothing to propose. Any other is committed (by us, or overtaken by a later commit), with every
        // reporter's batch in the log.
        if (crashedState.Step == RoundStep.Abandoned || crashedState.Heard.Count == 0)
        {
            Assert.True(crashedState.Heard.Count == 0 || crashed < live.FirstLiveRound, $"round {crashed}: {crashedState.AbandonedReason}");
        }
        else
        {
            Assert.True(crashedState.Step is RoundStep.Confirmed or RoundStep.Superseded, $"round {crashed}: {crashedState.Step}");
            Assert.Equal(live.Network.Reporters.Count, crashedState.Heard.Count);
        }

        try
        {
            await live.AssertSettledAsync(1, confirmed);
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            // Diagnostics only: the restarted process's last output shows what it did with the round.
            throw new Xunit.Sdk.XunitException($"{e.Message}\nrestarted aggregator output:\n{restarted.RecentOutput}");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<ulong> RoundWithAsync(string eventType, ulong from)
    {
        var head = await live.Network.Client.BlockNumberAsync();
        for (var round = head / LiveNetwork.RoundBlocks; round >= from; round--)
        {
            if (await live.CountAsync(round, eventType) > 0)
            {
                return round;
            }
        }

        throw new InvalidOperationException($"no round from {from} has {eventType}");
    }

    private TiedProcess Start(string config, string? crashAfter)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "supplyoracle-aggregator.dll");
        var environment = new Dictionary<string, string>();
        if (crashAfter is not null)
        {
            environment["Aggregator__Testing__CrashAfter"] = crashAfter;
        }

        return TiedProcess.Start("aggregator", RepoPaths.FindExecutable("dotnet") ?? "dotnet", [exe, "run", "--config", config], environment: environment);
    }

    private string WriteConfig(int grpcPort)
    {
        var keyFile = Path.Combine(_directory, "transmitter.key");
        File.WriteAllText(keyFile, AnvilNode.DevAccounts[LiveNetwork.SenderAccount].PrivateKey + "\n");
        var deployment = live.Network.Deployment;
        var path = Path.Combine(_directory, $"aggregator-{grpcPort}.json");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$"""
            { "Aggregator": { "ChainId": {{deployment.ChainId}}, "Oracle": "{{deployment.Oracle}}", "Registry": "{{deployment.Registry}}",
              "RpcUrl": "{{live.Network.Node.RpcUrl}}", "Database": "{{live.ConnectionString}}",
              "GrpcListen": "127.0.0.1:{{grpcPort}}", "HttpListen": "", "Id": "crash-test", "PrivateKeyFile": "{{keyFile}}",
              "CloseAfterSeconds": 3, "AttestationTimeoutSeconds": 8, "ConfirmationDepth": 1, "PollIntervalMilliseconds": 200,
              "MaxFeePerGasGwei": 500, "ViewRefreshSeconds": 0.5, "BlockCacheSeconds": 0.2 } }
            """));
        return path;
    }
}
