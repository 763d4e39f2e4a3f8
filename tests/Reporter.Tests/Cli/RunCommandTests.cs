using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Cli;

/// <summary>
/// The whole node (<c>supplyoracle-reporter run</c>) on an anvil with the deployed registry, oracle and ERC-20 tokens,
/// gossiping to an in-test aggregator.
/// </summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private static readonly BigInteger Unit = BigInteger.Pow(10, 18);
    private static readonly HttpClient s_http = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("node-").FullName;
    private AnvilNode _node = null!;

    public async Task InitializeAsync() => _node = await AnvilNode.StartAsync();

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Run_RoundDue_SignsPinnedSupplyGossipsItAndNeverSignsADifferentBatchAfterRestart()
    {
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[6].PrivateKey);
        var token = await chain.DeployTokenAsync("NODE", 1_000_000 * Unit);
        var vesting = SupplyChain.RandomAddress();
        await chain.ExcludeAsync([(token, vesting, 400_000 * Unit)]);
        var oracle = await chain.DeployOracleAsync([key.Address], roundBlocks: 50);
        var deployment = new OracleDeployment(31337, oracle.Address, chain.Registry.Address);
        var head = await chain.Client.BlockNumberAsync();
        var round = head / 50 + 1;
        await _node.MineAsync(round * 50 - head);          // B_r is now the head
        var registryAtB = await chain.Registry.OnChainCirculatingAsync(token.Address, BlockId.AtNumber(round * 50));
        await chain.SendAsync(token.TransferCall(vesting, 100_000 * Unit)); // after B_r: must not count
        await _node.MineAsync(2);                            // two confirmations
        await using var aggregator = await TestAggregator.StartAsync();
        aggregator.Handler.DigestOf = b => ByteString.CopyFrom(deployment.TypedData.ObservationBatchDigest(b.Round, b.ReferenceBlock, b.ReferenceTime,
            new Hash32(b.ReferenceHash.Span), b.Observations.Span).ToArray());
        var healthPort = FreePort.Next();
        var config = WriteConfig(deployment, key, token.Address, aggregator.Url, healthPort, fixedValue: "300000000000000000000000");

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            var run = Program.RunAsync(["run", "--config", config], TextReader.Null, TextWriter.Null, TextWriter.Null, cts.Token);
            var batch = await WaitForBatchAsync(aggregator, 1, run, cts.Token);
            // Ready once the in-test aggregator has acknowledged the batch (issue 19 item 3: ready means delivering).
            HttpResponseMessage response;
            while (!(response = await s_http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/health/ready"), cts.Token)).IsSuccessStatusCode)
            {
                response.Dispose();
                await Task.Delay(50, cts.Token);
            }
            var ready = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
            response.Dispose();
            await cts.CancelAsync();
            await run;

            var verified = new BatchVerifier(deployment).Verify(batch, new BatchExpectations(50, new ReporterSet([key.Address])));
            Assert.True(verified.IsValid, verified.Rejection?.ToString());
            var observation = Assert.Single(verified.Value!.Observations);
            Assert.Equal(round, batch.Round);
            Assert.Equal(registryAtB, observation.Circulating.Value);
            Assert.Equal(300_000_000_000_000_000UL, observation.Factor.Raw); // 300k of 1M circulating
            Assert.Equal(round, ready.GetProperty("lastSignedRound").GetUInt64());
        }

        // Restart with a different operator value: the journaled batch of the round is resent unchanged.
        var changed = WriteConfig(deployment, key, token.Address, aggregator.Url, FreePort.Next(), fixedValue: "200000000000000000000000");
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            var run = Program.RunAsync(["run", "--config", changed], TextReader.Null, TextWriter.Null, TextWriter.Null, cts.Token);
            await WaitForBatchAsync(aggregator, 2, run, cts.Token);
            await cts.CancelAsync();
            await run;
        }
        var sent = aggregator.Handler.Received.Select(m => m.Observation).Where(o => o is not null).ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal(sent[0], sent[1]);
    }

    [Fact]
    public async Task Run_PeerRelaysValidAndForgedBatches_SubmitsOnlyTheRegisteredReportersBatchToItsAggregator()
    {
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[6].PrivateKey);
        var peer = new PrivateKeySigner(PrivateKey.Parse(AnvilNode.DevAccounts[7].PrivateKey));
        var stranger = new PrivateKeySigner(PrivateKey.Parse(AnvilNode.DevAccounts[8].PrivateKey));
        var token = await chain.DeployTokenAsync("PEER", 1_000_000 * Unit);
        var oracle = await chain.DeployOracleAsync([key.Address, peer.Address], roundBlocks: 50);
        var deployment = new OracleDeployment(31337, oracle.Address, chain.Registry.Address);
        var head = await chain.Client.BlockNumberAsync();
        var round = head / 50 + 1;
        await _node.MineAsync(round * 50 - head);
        var block = (await chain.Client.GetBlockAsync(BlockId.AtNumber(round * 50)))!;
        var header = new ReportHeader(new RoundId(round), round * 50, block.Timestamp, block.Hash);
        TokenObservation[] observations = [new(token.Address, new TokenAmount(1_000_000 * Unit), new Wad(500_000_000_000_000_000))];
        var fromPeer = (await ObservationBatchSigner.SignAsync(peer, deployment, header, 50, observations)).ToProto();
        var fromStranger = (await ObservationBatchSigner.SignAsync(stranger, deployment, header, 50, observations)).ToProto();
        await using var aggregator = await TestAggregator.StartAsync();
        var relayPort = FreePort.Next();
        var config = WriteConfig(deployment, key, token.Address, aggregator.Url, FreePort.Next(), fixedValue: "300000000000000000000000", relayPort: relayPort);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = Program.RunAsync(["run", "--config", config], TextReader.Null, TextWriter.Null, TextWriter.Null, cts.Token);
        Protocol.V1.RelaySummary? summary = null;
        while (summary is null)
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"the node stopped with exit code {await run}");
            }
            try
            {
                summary = await TestRelay.SendAsync(new Uri($"http://127.0.0.1:{relayPort}"), [fromPeer, fromStranger, fromPeer], cts.Token);
            }
            catch (Exception ex) when (ex is global::Grpc.Core.RpcException { StatusCode: global::Grpc.Core.StatusCode.Unavailable } or HttpRequestException)
            {
                await Task.Delay(100, cts.Token); // not listening yet
            }
        }
        while (aggregator.Handler.Submitted.IsEmpty)
        {
            await Task.Delay(50, cts.Token);
        }
        await Task.Delay(300, cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Equal(new Protocol.V1.RelaySummary { Accepted = 1, Duplicates = 1, Rejected = 1 }, summary);
        Assert.Equal(fromPeer, Assert.Single(aggregator.Handler.Submitted));
    }

    [Fact]
    public async Task Run_EndpointNotAUrl_ExitsWithTwoNamingTheSetting()
    {
        var deployment = new OracleDeployment(31337, SupplyChain.RandomAddress(), SupplyChain.RandomAddress());
        var config = WriteConfig(deployment, PrivateKey.Generate(), SupplyChain.RandomAddress(), new Uri("http://127.0.0.1:1"), FreePort.Next(), "1", rpc: "not a url");
        using var error = new StringWriter();

        var code = await Program.RunAsync(["run", "--config", config], TextReader.Null, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.StartsWith("error: Reporter:Rpc:Endpoints:0:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WrongChainId_ExitsWithTwoNamingTheEndpoint()
    {
        var deployment = new OracleDeployment(1, SupplyChain.RandomAddress(), SupplyChain.RandomAddress());
        var config = WriteConfig(deployment, PrivateKey.Generate(), SupplyChain.RandomAddress(), new Uri("http://127.0.0.1:1"), FreePort.Next(), "1");
        using var error = new StringWriter();

        var code = await Program.RunAsync(["run", "--config", config], TextReader.Null, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Contains("Reporter:Rpc:Endpoints:0: endpoint is on chain 31337", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OracleSettingIsTheRegistryOrHasNoCode_ExitsWithTwoNamingTheSetting()
    {
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[6].PrivateKey);
        var token = await chain.DeployTokenAsync("WRONG", 1_000_000 * Unit);
        var oracle = await chain.DeployOracleAsync([key.Address], roundBlocks: 50);
        var empty = SupplyChain.RandomAddress();
        (OracleDeployment Deployment, string Expected)[] cases =
        [
            (new(31337, chain.Registry.Address, chain.Registry.Address), $"error: Reporter:Chain:Oracle: {chain.Registry.Address} is not a SupplyOracle ("),
            (new(31337, empty, chain.Registry.Address), $"error: Reporter:Chain:Oracle: {empty} is not a SupplyOracle (no contract code"),
            (new(31337, oracle.Address, oracle.Address), $"error: Reporter:Chain:Registry: {oracle.Address} is not an ExcludedAddressRegistry ("),
        ];
        foreach (var (deployment, expected) in cases)
        {
            var config = WriteConfig(deployment, key, token.Address, new Uri("http://127.0.0.1:1"), FreePort.Next(), "1");
            using var error = new StringWriter();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            var code = await Program.RunAsync(["run", "--config", config], TextReader.Null, TextWriter.Null, error, cts.Token);

            Assert.Equal(2, code);
            Assert.StartsWith(expected, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_RealProcessProbedThenSigterm_LogsNoProbeRequestsNorGossipFailureAndExitsZero()
    {
        // Issue 19 item 2: health probes are not logged at Information; a clean SIGTERM is no gossip failure.
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[6].PrivateKey);
        var token = await chain.DeployTokenAsync("TERM", 1_000_000 * Unit);
        var oracle = await chain.DeployOracleAsync([key.Address], roundBlocks: 50);
        var deployment = new OracleDeployment(31337, oracle.Address, chain.Registry.Address);
        await using var aggregator = await TestAggregator.StartAsync();
        var healthPort = FreePort.Next();
        var config = WriteConfig(deployment, key, token.Address, aggregator.Url, healthPort, "1");
        var exe = Path.Combine(AppContext.BaseDirectory, "supplyoracle-reporter.dll");
        await using var node = TiedProcess.Start("reporter", RepoPaths.FindExecutable("dotnet") ?? "dotnet", [exe, "run", "--config", config]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var live = new Uri($"http://127.0.0.1:{healthPort}/health/live");
        while (true)
        {
            Assert.True(node.IsRunning, node.RecentOutput);
            try
            {
                using var response = await s_http.GetAsync(live, cts.Token);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100, cts.Token);
        }
        while (Volatile.Read(ref aggregator.Handler.Streams) == 0)
        {
            await Task.Delay(50, cts.Token);
        }

        for (var i = 0; i < 3; i++)
        {
            using var probe = await s_http.GetAsync(live, cts.Token);
            using var ready = await s_http.GetAsync(new Uri($"http://127.0.0.1:{healthPort}/health/ready"), cts.Token);
        }
        await node.StopAsync();

        var output = node.RecentOutput;
        Assert.True(node.ExitCode == 0, $"exit code {node.ExitCode}:\n{output}");
        Assert.DoesNotContain("/health/", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Gossip stream", output, StringComparison.Ordinal);
        // Issue 19 item 5: a one-line start-up banner.
        Assert.Contains($"reporter {key.Address} on chain 31337: oracle {oracle.Address}, registry {chain.Registry.Address}, tokens [{token.Address}], "
            + $"rpc [{_node.RpcUrl}], aggregators [{aggregator.Url}], health and metrics http://127.0.0.1:{healthPort}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RpcUnreachable_ExitsNonZeroWithOneLineNamingTheEndpoint()
    {
        var deployment = new OracleDeployment(31337, SupplyChain.RandomAddress(), SupplyChain.RandomAddress());
        var config = WriteConfig(deployment, PrivateKey.Generate(), SupplyChain.RandomAddress(), new Uri("http://127.0.0.1:1"), FreePort.Next(), "1",
            rpc: $"http://127.0.0.1:{FreePort.Next()}");
        using var error = new StringWriter();

        var code = await Program.RunAsync(["run", "--config", config], TextReader.Null, TextWriter.Null, error);

        Assert.NotEqual(0, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Reporter:Rpc:Endpoints:0: cannot reach the endpoint", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_HealthPortInUse_ExitsNonZeroWithOneLineNamingTheSetting()
    {
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[6].PrivateKey);
        var token = await chain.DeployTokenAsync("BUSY", 1_000_000 * Unit);
        var oracle = await chain.DeployOracleAsync([key.Address], roundBlocks: 50);
        var deployment = new OracleDeployment(31337, oracle.Address, chain.Registry.Address);
        var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
            var config = WriteConfig(deployment, key, token.Address, new Uri("http://127.0.0.1:1"), port, "1");
            using var error = new StringWriter();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

            var code = await Program.RunAsync(["run", "--config", config], TextReader.Null, TextWriter.Null, error, cts.Token);

            Assert.NotEqual(0, code);
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: Reporter:Health:Listen: 127.0.0.1:{port} is in use", line, StringComparison.Ordinal);
        }
        finally
        {
            busy.Stop();
        }
    }

    private static async Task<Protocol.V1.ObservationBatch> WaitForBatchAsync(TestAggregator aggregator, int count, Task<int> run, CancellationToken cancellationToken)
    {
        while (aggregator.Handler.Received.Count(m => m.Observation is not null) < count)
        {
            Assert.False(run.IsCompleted, $"the node stopped with exit code {(run.IsCompleted ? run.Result : 0)}");
            await Task.Delay(50, cancellationToken);
        }
        return aggregator.Handler.Received.Last(m => m.Observation is not null).Observation;
    }

    private string WriteConfig(OracleDeployment deployment, PrivateKey key, Address token, Uri aggregator, int healthPort, string fixedValue, string? rpc = null, int? relayPort = null)
    {
        var keystore = Path.Combine(_dir, "key.json");
        var password = Path.Combine(_dir, "password");
        File.WriteAllText(password, "node-test");
        if (!File.Exists(keystore))
        {
            File.WriteAllText(keystore, KeystoreV3.Encrypt(key, "node-test", KeystoreKdf.LightScrypt));
        }
        var json = new Dictionary<string, object>
        {
            ["Reporter"] = new Dictionary<string, object>
            {
                ["Chain"] = new { deployment.ChainId, Oracle = deployment.Oracle.ToString(), Registry = deployment.Registry.ToString() },
                ["Rpc"] = new { Endpoints = new[] { rpc ?? _node.RpcUrl.ToString() } },
                ["PollIntervalSeconds"] = 0.2,
                ["Key"] = new { Keystore = keystore, PasswordFile = password },
                ["JournalPath"] = Path.Combine(_dir, "journal.bin"),
                ["Tokens"] = new[] { new { Address = token.ToString(), Fixed = new { Value = fixedValue, Note = "test" } } },
                ["Gossip"] = new
                {
                    Aggregators = new[] { aggregator.ToString() },
                    ReconnectMinSeconds = 0.05,
                    ReconnectMaxSeconds = 0.5,
                    Listen = relayPort is { } port ? $"127.0.0.1:{port}" : "",
                },
                ["Health"] = new { Listen = $"127.0.0.1:{healthPort}" },
            },
        };
        var path = Path.Combine(_dir, $"reporter-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        return path;
    }
}
