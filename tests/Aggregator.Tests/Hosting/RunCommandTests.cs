using System.Globalization;
using Npgsql;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Tests.Support;
using Grpc.Net.Client;
using SupplyOracle.Protocol.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Hosting;

/// <summary><c>supplyoracle-aggregator run --config FILE</c>, in process, against anvil and PostgreSQL.</summary>
public sealed class RunCommandTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("aggregator-run").FullName;

    [Fact]
    public async Task Run_RpcUrlMissing_ExitsBadConfigurationNamingTheSetting()
    {
        var path = Write("""{ "Aggregator": { "ChainId": 31337, "Oracle": "0x00000000000000000000000000000000000000aa", "Registry": "0x00000000000000000000000000000000000000bb", "Database": "Host=x" } }""");
        var error = new StringWriter();

        var code = await Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Null, error);

        Assert.Equal(RunCommand.BadConfiguration, code);
        Assert.Contains("Aggregator:RpcUrl", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ValidConfiguration_ServesGossipAndHealthUntilCancelled()
    {
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var deployment = network.Network.Deployment;
        var database = new NpgsqlConnectionStringBuilder(network.DataSource.ConnectionString) { Password = null }.ConnectionString;
        var path = Write(string.Create(CultureInfo.InvariantCulture, $$"""
            { "Aggregator": { "ChainId": {{deployment.ChainId}}, "Oracle": "{{deployment.Oracle}}", "Registry": "{{deployment.Registry}}",
              "RpcUrl": "{{network.Network.Node.RpcUrl}}", "Database": "{{database}}", "EventStoreSchema": "run_test",
              "GrpcListen": "127.0.0.1:{{grpcPort}}", "HttpListen": "127.0.0.1:{{httpPort}}" } }
            """));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = new StringWriter();
        var run = Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Synchronized(output), TextWriter.Null, cancel.Token);
        while (!output.ToString().Contains("listening", StringComparison.Ordinal))
        {
            if (run.IsCompleted)
            {
                Assert.Fail($"run ended early with exit code {await run}: {output}");
            }

            await Task.Delay(50);
        }

        // Issue 19 item 5: a one-line start-up banner.
        var banner = Assert.Single(output.ToString().Split('\n'), l => l.Contains("listening", StringComparison.Ordinal));
        Assert.Contains($" serving intake only (no Aggregator:Keystore or PrivateKeyFile) on chain {deployment.ChainId}: oracle {deployment.Oracle}, "
            + $"registry {deployment.Registry}, tokens [", banner, StringComparison.Ordinal);
        Assert.All(network.Network.Tokens, t => Assert.Contains(t.Address.ToString(), banner, StringComparison.Ordinal));
        Assert.EndsWith($"rpc {network.Network.Node.RpcUrl}, listening grpc http://127.0.0.1:{grpcPort}/ http http://127.0.0.1:{httpPort}/ "
            + $"(metrics http://127.0.0.1:{httpPort}/metrics)", banner.TrimEnd(), StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Contains("\"ok\"", await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz")), StringComparison.Ordinal);
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{grpcPort}"));
        var batch = await network.Reporter(4).BatchAsync(network.Network.Client, 30, TestReporter.Tokens(2));
        var ack = await new Gossip.GossipClient(channel).SubmitAsync(batch);
        Assert.True(ack.Accepted, ack.Message);

        // The scrape: a duration in seconds has buckets in seconds (not OpenTelemetry's millisecond defaults), and the
        // database pool is named, not labelled with its connection string. (Only the name is checked: this test process's
        // own fixture connections are pooled by connection string and report on the same Npgsql meter.)
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"));
        var intakeBuckets = metrics.Split('\n').Where(l => l.StartsWith("supplyoracle_intake_duration_seconds_bucket{", StringComparison.Ordinal)).ToList();
        Assert.Contains(intakeBuckets, l => l.Contains("le=\"0.005\"", StringComparison.Ordinal));
        Assert.DoesNotContain(intakeBuckets, l => l.Contains("le=\"5000\"", StringComparison.Ordinal));
        Assert.Contains("db_client_connection_pool_name=\"aggregator\"", metrics, StringComparison.Ordinal);

        // The dashboard's Network page names what only the process knows (issue 21): its role and the reporter streams
        // open on it, here one Connect stream.
        using (var stream = new Gossip.GossipClient(channel).Connect())
        {
            await stream.ResponseHeadersAsync;
            var page = await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/dashboard"));
            var replica = page[page.IndexOf("id=\"replica\"", StringComparison.Ordinal)..];
            replica = replica[..replica.IndexOf("</dd>", StringComparison.Ordinal)];
            Assert.Contains("intake only", replica, StringComparison.Ordinal);
            Assert.Contains("1 reporter stream(s) connected", replica, StringComparison.Ordinal);
            await stream.RequestStream.CompleteAsync();
        }

        // The query side is served by the same process: the accepted batch reaches round 30's projection.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        string round;
        do
        {
            await Task.Delay(100);
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/v1/rounds/30"));
            round = await response.Content.ReadAsStringAsync();
        }
        while (!round.Contains("observation-accepted.v1", StringComparison.Ordinal) && TimeProvider.System.GetUtcNow() < deadline);
        Assert.Contains("observation-accepted.v1", round, StringComparison.Ordinal);

        await cancel.CancelAsync();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Run_MisspeltKey_ExitsBadConfigurationNamingTheKey()
    {
        var path = Write("""{ "Aggregator": { "ChainId": 31337, "Oracle": "0x00000000000000000000000000000000000000aa", "Registry": "0x00000000000000000000000000000000000000bb", "RpcUrl": "http://127.0.0.1:1", "Database": "Host=x", "CloseAfterSecond": 5 } }""");
        var error = new StringWriter();

        var code = await Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Null, error);

        Assert.Equal(RunCommand.BadConfiguration, code);
        Assert.Contains("CloseAfterSecond", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DatabaseUnreachable_ExitsWithDatabaseErrorNamingTheSetting()
    {
        var path = Write(string.Create(CultureInfo.InvariantCulture, $$"""{ "Aggregator": { "ChainId": 31337, "Oracle": "0x00000000000000000000000000000000000000aa", "Registry": "0x00000000000000000000000000000000000000bb", "RpcUrl": "http://127.0.0.1:1", "Database": "Host=127.0.0.1;Port={{FreePort.Next()}};Username=nobody;Timeout=3" } }"""));
        var error = new StringWriter();

        var code = await Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Null, error);

        Assert.Equal(RunCommand.DatabaseUnavailable, code);
        Assert.Contains("Aggregator:Database", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OracleSettingIsTheRegistry_ExitsBadConfigurationNamingTheSetting()
    {
        var deployment = network.Network.Deployment;
        var database = new NpgsqlConnectionStringBuilder(network.DataSource.ConnectionString) { Password = null }.ConnectionString;
        var path = Write(string.Create(CultureInfo.InvariantCulture, $$"""
            { "Aggregator": { "ChainId": {{deployment.ChainId}}, "Oracle": "{{deployment.Registry}}", "Registry": "{{deployment.Registry}}",
              "RpcUrl": "{{network.Network.Node.RpcUrl}}", "Database": "{{database}}", "EventStoreSchema": "wrong_oracle_test",
              "GrpcListen": "127.0.0.1:{{FreePort.Next()}}", "HttpListen": "127.0.0.1:{{FreePort.Next()}}" } }
            """));
        var error = new StringWriter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var code = await Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Null, error, cancel.Token);

        Assert.Equal(RunCommand.BadConfiguration, code);
        Assert.StartsWith($"error: Aggregator:Oracle: {deployment.Registry} is not a SupplyOracle (", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RpcUnreachable_ExitsNonZeroWithOneLineNamingTheSetting()
    {
        var deployment = network.Network.Deployment;
        var database = new NpgsqlConnectionStringBuilder(network.DataSource.ConnectionString) { Password = null }.ConnectionString;
        var path = Write(string.Create(CultureInfo.InvariantCulture, $$"""
            { "Aggregator": { "ChainId": {{deployment.ChainId}}, "Oracle": "{{deployment.Oracle}}", "Registry": "{{deployment.Registry}}",
              "RpcUrl": "http://127.0.0.1:{{FreePort.Next()}}", "Database": "{{database}}", "EventStoreSchema": "rpc_down_test",
              "GrpcListen": "127.0.0.1:{{FreePort.Next()}}", "HttpListen": "127.0.0.1:{{FreePort.Next()}}" } }
            """));
        var error = new StringWriter();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var code = await Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Null, error, cancel.Token);

        Assert.Equal(RunCommand.RpcUnavailable, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Aggregator:RpcUrl: cannot reach", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_GrpcPortInUse_ExitsNonZeroWithOneLineNamingTheSetting()
    {
        var deployment = network.Network.Deployment;
        var database = new NpgsqlConnectionStringBuilder(network.DataSource.ConnectionString) { Password = null }.ConnectionString;
        var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;
            var path = Write(string.Create(CultureInfo.InvariantCulture, $$"""
                { "Aggregator": { "ChainId": {{deployment.ChainId}}, "Oracle": "{{deployment.Oracle}}", "Registry": "{{deployment.Registry}}",
                  "RpcUrl": "{{network.Network.Node.RpcUrl}}", "Database": "{{database}}", "EventStoreSchema": "port_busy_test",
                  "GrpcListen": "127.0.0.1:{{port}}", "HttpListen": "127.0.0.1:{{FreePort.Next()}}" } }
                """));
            var error = new StringWriter();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));

            var code = await Program.RunAsync(["run", "--config", path], TextReader.Null, TextWriter.Null, error, cancel.Token);

            Assert.Equal(RunCommand.BadConfiguration, code);
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: Aggregator:GrpcListen: 127.0.0.1:{port} is in use", line, StringComparison.Ordinal);
        }
        finally
        {
            busy.Stop();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
