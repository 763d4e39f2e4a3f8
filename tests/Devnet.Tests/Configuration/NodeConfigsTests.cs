using System.Net;
using Microsoft.Extensions.Configuration;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Configuration;
using SupplyOracle.Reporter.Configuration;

namespace SupplyOracle.Devnet.Tests.Configuration;

public sealed class NodeConfigsTests : IDisposable
{
    private static readonly ChainEndpoint s_chain = new(31_337, Address.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"),
        Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"), new Uri("http://127.0.0.1:8545"));

    private readonly string _directory = Directory.CreateTempSubdirectory("devnet-config-").FullName;

    [Fact]
    public async Task Reporter_ExtraLockedSource_LoadsThroughTheReporterBinderWithUnknownKeysAsErrors()
    {
        var token = TokenPlan.Derive("AUR", "token");
        var node = Node([new ReporterTokenSource(token, [TokenPlan.Derive("AUR", "market-maker")], null)]);
        var path = Path.Combine(_directory, "reporter.json");
        await NodeConfigs.WriteAsync(path, NodeConfigs.Reporter(s_chain, node, new Uri("http://127.0.0.1:7443")), CancellationToken.None);

        var options = ReporterConfiguration.Load(ReporterConfiguration.Build(path, [], new Dictionary<string, string?>()));

        Assert.Equal(31_337UL, options.Chain.ChainId);
        Assert.Equal(s_chain.Oracle.ToString(), options.Chain.Oracle);
        Assert.Equal(s_chain.Registry.ToString(), options.Chain.Registry);
        Assert.Equal(["http://127.0.0.1:8545/"], options.Rpc.Endpoints);
        Assert.Equal(node.Keystore, options.Key.Keystore);
        Assert.Equal(node.PasswordFile, options.Key.PasswordFile);
        Assert.Equal(node.JournalPath, options.JournalPath);
        Assert.Equal(token.ToString(), Assert.Single(options.Tokens).Address);
        Assert.Equal([TokenPlan.Derive("AUR", "market-maker").ToString()], options.Tokens[0].ExtraLocked);
        Assert.Empty(options.Tokens[0].Http);
        Assert.Equal(["http://127.0.0.1:7443/"], options.Gossip.Aggregators);
        Assert.Equal(node.HealthListen.ToString(), options.Health.Listen);
    }

    [Fact]
    public async Task Reporter_HttpSource_LoadsWithItsUrlAndValuePath()
    {
        var token = TokenPlan.Derive("BDY", "token");
        var feed = new Uri($"http://127.0.0.1:9999/free-float/{token}");
        var path = Path.Combine(_directory, "reporter-http.json");
        await NodeConfigs.WriteAsync(path, NodeConfigs.Reporter(s_chain, Node([new ReporterTokenSource(token, [], feed)]), new Uri("http://127.0.0.1:7443")),
            CancellationToken.None);

        var options = ReporterConfiguration.Load(ReporterConfiguration.Build(path, [], new Dictionary<string, string?>()));

        var http = Assert.Single(Assert.Single(options.Tokens).Http);
        Assert.Equal(feed.ToString(), http.Url);
        Assert.Equal("value", http.ValuePath);
        Assert.Empty(options.Tokens[0].ExtraLocked);
    }

    [Fact]
    public async Task Aggregator_WrittenFile_BindsEveryKeyToAggregatorOptionsAndValidates()
    {
        var node = new AggregatorNode("Host=127.0.0.1;Port=5432;Username=postgres;Database=aggregator", new IPEndPoint(IPAddress.Loopback, 7443),
            new IPEndPoint(IPAddress.Loopback, 7480), Path.Combine(_directory, "aggregator.json"), Path.Combine(_directory, "aggregator.password"));
        var path = Path.Combine(_directory, "aggregator-config.json");
        await NodeConfigs.WriteAsync(path, NodeConfigs.Aggregator(s_chain, node), CancellationToken.None);

        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        var options = configuration.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>(o => o.ErrorOnUnknownConfiguration = true)!;
        var validated = options.Validate();

        Assert.Equal(31_337UL, validated.ChainId);
        Assert.Equal(s_chain.Oracle, validated.Oracle);
        Assert.Equal(s_chain.Registry, validated.Registry);
        Assert.Equal(s_chain.RpcUrl, validated.RpcUrl);
        Assert.Equal(node.Database, validated.Database);
        Assert.Equal(node.GrpcListen, validated.GrpcListen);
        Assert.Equal(node.HttpListen, validated.HttpListen);
        Assert.Equal(new TransmitterKeySource(node.Keystore, node.PasswordFile, null), validated.Rounds.Key);
        Assert.Equal("devnet-aggregator", validated.Rounds.AggregatorId);
        Assert.True(validated.Rounds.CloseAfter < TimeSpan.FromSeconds(10), "a round closes within the ~10 s round");
    }

    [Fact]
    public async Task Aggregator_UnknownKeyInTheSection_IsRejectedByTheBinder()
    {
        // The check above can fail: a key the options do not have makes the binder throw.
        var path = Path.Combine(_directory, "bad.json");
        await File.WriteAllTextAsync(path, """{ "Aggregator": { "ChainId": 1, "TransmitterKey": "x" } }""");
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();

        Assert.Throws<InvalidOperationException>(() =>
        {
            _ = configuration.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>(o => o.ErrorOnUnknownConfiguration = true);
        });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ReporterNode Node(IReadOnlyList<ReporterTokenSource> tokens) =>
        new("reporter-1", Path.Combine(_directory, "reporter-1.json"), Path.Combine(_directory, "reporter-1.password"),
            Path.Combine(_directory, "reporter-1.journal"), new IPEndPoint(IPAddress.Loopback, 18080), tokens);
}
