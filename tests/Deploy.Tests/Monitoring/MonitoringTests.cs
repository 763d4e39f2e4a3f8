using System.Numerics;
using System.Text.Json;
using Npgsql;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Deploy.Tests.Support;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Deploy.Tests.Monitoring;

/// <summary>
/// The shipped alert rules and Grafana dashboard (deploy/monitoring) against the programs (issue 19 item 4): a real
/// aggregator (<c>run</c>, with a transmitter) and a real reporter (<c>run</c>) on anvil and PostgreSQL commit a
/// round; then each program's <c>/metrics</c> is scraped and every metric name the rules and the dashboard use must be
/// in the scrape of the program that exports it (names per OpenTelemetry's Prometheus conversion).
/// </summary>
public sealed class MonitoringTests : IAsyncLifetime, IDisposable
{
    /// <summary>Made by Prometheus itself for every target, never by a program.</summary>
    private static readonly HashSet<string> s_synthetic = new(StringComparer.Ordinal) { "up" };

    private static readonly HttpClient s_http = new();
    private readonly PostgresFixture _postgres = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("supplyoracle-monitoring-").FullName;

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Files_EveryRuleAndPanel_SelectsSupplyOracleMetrics()
    {
        var rules = MonitoringFiles.RuleExpressions();
        var panels = MonitoringFiles.DashboardExpressions();

        Assert.NotEmpty(rules);
        Assert.NotEmpty(panels);
        Assert.All(rules, r => Assert.NotEmpty(MonitoringFiles.MetricNames(r.Expression)));
        Assert.All(panels, e => Assert.NotEmpty(MonitoringFiles.MetricNames(e)));
        Assert.All(MonitoringFiles.RuleExpressions().Where(r => r.Group == "supplyoracle-reporter"),
            r => Assert.All(MonitoringFiles.MetricNames(r.Expression).Except(s_synthetic), n => Assert.StartsWith("supplyoracle_reporter_", n, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_ReporterAndAggregatorToACommit_ServeEveryMetricTheRulesAndDashboardUseAndReadyMeansDelivering()
    {
        await using var network = await OracleNetwork.StartAsync(new OracleNetworkOptions
        {
            Reporters = 1,
            Tokens = 1,
            Parameters = OracleNetworkOptions.DefaultParameters with { RoundBlocks = 4, MinReporters = 1, MinCommitInterval = 1, Heartbeat = 1 },
        });
        var token = network.Tokens[0];
        await token.MintAsync(network.Owner, network.Owner.Address, 1_000_000 * BigInteger.Pow(10, 18));
        await network.Node.SetIntervalMiningAsync(1);
        var grpcPort = FreePort.Next();
        var aggregatorHttp = FreePort.Next();
        var reporterHealth = FreePort.Next();
        var aggregatorConfig = WriteAggregatorConfig(network, grpcPort, aggregatorHttp);
        var reporterConfig = WriteReporterConfig(network, token.Address.ToString(), new Uri($"http://127.0.0.1:{grpcPort}"), reporterHealth);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var aggregatorOutput = new StringWriter();
        var aggregator = Aggregator.Program.RunAsync(["run", "--config", aggregatorConfig], TextReader.Null, TextWriter.Synchronized(aggregatorOutput),
            TextWriter.Synchronized(aggregatorOutput), cts.Token);
        var reporterOutput = new StringWriter();
        var reporter = Reporter.Program.RunAsync(["run", "--config", reporterConfig], TextReader.Null, TextWriter.Synchronized(reporterOutput),
            TextWriter.Synchronized(reporterOutput), cts.Token);
        // Issue 19 item 3: a second reporter pointed at the aggregator's HTTP/1.1 port (HTTP_1_1_REQUIRED) never delivers.
        var misdirectedHealth = FreePort.Next();
        var misdirectedConfig = WriteReporterConfig(network, token.Address.ToString(), new Uri($"http://127.0.0.1:{aggregatorHttp}"), misdirectedHealth, "misdirected");
        var misdirected = Reporter.Program.RunAsync(["run", "--config", misdirectedConfig], TextReader.Null, TextWriter.Null, TextWriter.Null, cts.Token);
        try
        {
            // A committed round: the chain gauges then have the token's commit age (only committed tokens have one).
            var aggregatorScrape = "";
            var deadline = TimeProvider.System.GetUtcNow().AddSeconds(120);
            while (!aggregatorScrape.Contains("supplyoracle_token_commit_age_seconds{", StringComparison.Ordinal))
            {
                Assert.False(aggregator.IsCompleted, $"the aggregator stopped: {aggregatorOutput}");
                Assert.False(reporter.IsCompleted, $"the reporter stopped: {reporterOutput}");
                Assert.True(TimeProvider.System.GetUtcNow() < deadline,
                    $"no commit seen in the scrape:\n{aggregatorScrape}\naggregator:\n{aggregatorOutput}\nreporter:\n{reporterOutput}");
                await Task.Delay(500, cts.Token);
                aggregatorScrape = await ScrapeAsync(aggregatorHttp, cts.Token);
            }
            var reporterScrape = await ScrapeAsync(reporterHealth, cts.Token);

            var fromReporter = MonitoringFiles.ScrapedNames(reporterScrape);
            var fromAggregator = MonitoringFiles.ScrapedNames(aggregatorScrape);
            var used = MonitoringFiles.RuleExpressions().Select(r => r.Expression).Concat(MonitoringFiles.DashboardExpressions())
                .SelectMany(MonitoringFiles.MetricNames).Except(s_synthetic).Distinct().Order(StringComparer.Ordinal).ToList();
            var missing = used.Where(n => !(n.StartsWith("supplyoracle_reporter_", StringComparison.Ordinal) ? fromReporter : fromAggregator).Contains(n)).ToList();
            Assert.True(missing.Count == 0,
                $"not in the scrape: {string.Join(", ", missing)}\nreporter exports: {string.Join(", ", fromReporter.Order())}\naggregator exports: {string.Join(", ", fromAggregator.Order())}");
            Assert.Contains($"token=\"{token.Address.ToChecksumString()}\"", aggregatorScrape, StringComparison.Ordinal);

            var reporterAddress = AnvilNode.DevAccounts[1].Address;
            var (readyCode, ready) = await ReadyAsync(reporterHealth, cts.Token);
            Assert.True(readyCode == 200, ready.ToString());
            Assert.Equal("ready", ready.GetProperty("status").GetString());
            Assert.Equal(reporterAddress, ready.GetProperty("reporter").GetString(), ignoreCase: true);
            var delivering = Assert.Single(ready.GetProperty("aggregators").EnumerateArray().ToList());
            Assert.Equal("connected", delivering.GetProperty("state").GetString());
            Assert.Equal("accepted", delivering.GetProperty("lastAcknowledgement").GetProperty("result").GetString());

            var (notReadyCode, notReady) = await ReadyAsync(misdirectedHealth, cts.Token);
            Assert.True(notReadyCode == 503, notReady.ToString());
            Assert.Equal("not-ready", notReady.GetProperty("status").GetString());
            Assert.Equal("no aggregator stream is up", notReady.GetProperty("problem").GetString());
            Assert.Equal(reporterAddress, notReady.GetProperty("reporter").GetString(), ignoreCase: true);
            var stuck = Assert.Single(notReady.GetProperty("aggregators").EnumerateArray().ToList());
            Assert.Equal("disconnected", stuck.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, stuck.GetProperty("lastAcknowledgement").ValueKind);
            Assert.True(stuck.GetProperty("unacknowledged").GetInt32() > 0, notReady.ToString());
        }
        finally
        {
            await cts.CancelAsync();
            await Task.WhenAll(reporter, misdirected, aggregator).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<(int Code, JsonElement Body)> ReadyAsync(int port, CancellationToken cancellationToken)
    {
        using var response = await s_http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), cancellationToken);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone());
    }

    private static async Task<string> ScrapeAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            return await s_http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), cancellationToken);
        }
        catch (HttpRequestException)
        {
            return ""; // not listening yet
        }
    }

    private string WriteAggregatorConfig(OracleNetwork network, int grpcPort, int httpPort)
    {
        var keyFile = Path.Combine(_dir, "transmitter.key");
        File.WriteAllText(keyFile, AnvilNode.DevAccounts[9].PrivateKey);
        var database = new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { Password = null }.ConnectionString;
        return Write("aggregator.json", new
        {
            Aggregator = new
            {
                network.Deployment.ChainId,
                Oracle = network.Deployment.Oracle.ToString(),
                Registry = network.Deployment.Registry.ToString(),
                RpcUrl = network.Node.RpcUrl.ToString(),
                Database = database,
                GrpcListen = $"127.0.0.1:{grpcPort}",
                HttpListen = $"127.0.0.1:{httpPort}",
                PrivateKeyFile = keyFile,
                CloseAfterSeconds = 3,
                AttestationTimeoutSeconds = 5,
                PollIntervalMilliseconds = 200,
                ConfirmationDepth = 1,
                Query = new { PollMilliseconds = 200 },
            },
        });
    }

    private string WriteReporterConfig(OracleNetwork network, string token, Uri aggregator, int healthPort, string name = "reporter")
    {
        var keystore = Path.Combine(_dir, $"{name}-key.json");
        var password = Path.Combine(_dir, "reporter.password");
        File.WriteAllText(password, "monitoring-test");
        File.WriteAllText(keystore, KeystoreV3.Encrypt(PrivateKey.Parse(AnvilNode.DevAccounts[1].PrivateKey), "monitoring-test", KeystoreKdf.LightScrypt));
        return Write($"{name}-config.json", new
        {
            Reporter = new
            {
                Chain = new { network.Deployment.ChainId, Oracle = network.Deployment.Oracle.ToString(), Registry = network.Deployment.Registry.ToString() },
                Rpc = new { Endpoints = new[] { network.Node.RpcUrl.ToString() } },
                PollIntervalSeconds = 0.2,
                Key = new { Keystore = keystore, PasswordFile = password },
                JournalPath = Path.Combine(_dir, $"{name}-journal.bin"),
                Tokens = new[] { new { Address = token, Fixed = new { Value = "300000000000000000000000", Note = "test" } } },
                Gossip = new { Aggregators = new[] { aggregator.ToString() }, ReconnectMinSeconds = 0.05, ReconnectMaxSeconds = 0.5 },
                Health = new { Listen = $"127.0.0.1:{healthPort}" },
            },
        });
    }

    private string Write(string name, object settings)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, JsonSerializer.Serialize(settings));
        return path;
    }
}
