using System.Net;
using System.Numerics;
using Npgsql;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Configuration;
using SupplyOracle.Devnet.FreeFloatFeed;
using SupplyOracle.Devnet.Monitoring;
using SupplyOracle.Devnet.Processes;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Orchestration;

internal sealed partial class DevnetRunner
{
    /// <summary>How many reporters the network runs.</summary>
    public const int ReporterCount = 5;

    /// <summary>The reporter whose free float comes from the orchestrator's HTTP feed instead of its extra-locked list.</summary>
    public const int FeedReporter = ReporterCount - 1;

    /// <summary>The feed reports this share (per mille) of the extra-locked figure: a slightly different source, inside the divergence band.</summary>
    public const int FeedPerMille = 995;

    /// <summary>The view polls the health endpoints every second: keep ASP.NET Core's per-request logging out of the node logs.</summary>
    private static readonly Dictionary<string, string> QuietHostLogging = new() { ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning" };

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _directory = DevnetDirectory.Prepare(_options.Directory);
        Say($"devnet directory {_directory.Root}");

        var postgresTask = PostgresServer.StartInDirectoryAsync(_directory.PostgresDirectory(), cancellationToken);
        var anvilTask = AnvilNode.StartAsync(new AnvilOptions(ChainId: DevnetParameters.ChainId, LogFile: Path.Combine(_directory.Logs, "anvil.log")), cancellationToken);
        var keysTask = Task.WhenAll(Enumerable.Range(1, ReporterCount).Select(i => CreateReporterKeyAsync(i, cancellationToken)));
        try
        {
            await Task.WhenAll(postgresTask, anvilTask, keysTask).ConfigureAwait(false);
        }
        finally
        {
            // Whatever started is owned (and stopped) by the cleanup, even when another start failed.
            _postgres = postgresTask.IsCompletedSuccessfully ? postgresTask.Result : null;
            _anvil = anvilTask.IsCompletedSuccessfully ? anvilTask.Result : null;
        }

        Say($"PostgreSQL on 127.0.0.1:{_postgres!.Port}, anvil on {_anvil!.RpcUrl}");
        var reporters = keysTask.Result;
        Say($"reporter keys: {string.Join(", ", reporters.Select(r => r.Address))}");

        _chain = await DevnetChain.DeployAsync(_anvil, _http, [.. reporters.Select(r => r.Address)], TokenPlan.Default, _directory.Evidence, Say,
            cancellationToken).ConfigureAwait(false);
        var transmitter = await CreateTransmitterKeyAsync(cancellationToken).ConfigureAwait(false);
        _transmitter = transmitter;
        foreach (var r in reporters)
        {
            await _chain.FundAsync(r.Address, 1).ConfigureAwait(false);
        }

        await _chain.FundAsync(transmitter, 100).ConfigureAwait(false);
        Say($"funded the reporters (1 ETH each) and the aggregator's transmitter {transmitter} (100 ETH)");
        await _chain.StartIntervalMiningAsync().ConfigureAwait(false);
        Say($"anvil mines a block every {DevnetParameters.BlockTimeSeconds} s; a round is {DevnetParameters.Oracle.RoundBlocks} blocks");

        _feed = FeedServer.Start(FeedValueAsync);
        var endpoint = new ChainEndpoint(DevnetParameters.ChainId, _chain.Oracle.Address, _chain.Registry.Address, _anvil.RpcUrl);
        await StartAggregatorAsync(endpoint, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < reporters.Length; i++)
        {
            await StartReporterAsync(endpoint, reporters[i], i, cancellationToken).ConfigureAwait(false);
        }

        Say($"started the aggregator and {reporters.Length} reporters; logs in {_directory.Logs}");
        await SayEndpointsAsync(cancellationToken).ConfigureAwait(false);
        _monitor = new NetworkMonitor(_chain, _http, new Uri(_aggregatorHttp!, "healthz"), _aggregatorDatabase!,
            () => _processes, await _chain.Client.BlockNumberAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<ReporterKey> CreateReporterKeyAsync(int index, CancellationToken cancellationToken)
    {
        var keystore = Path.Combine(_directory!.Keys, $"reporter-{index}.json");
        var password = Path.Combine(_directory.Keys, $"reporter-{index}.password");
        await File.WriteAllTextAsync(password, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), cancellationToken)
            .ConfigureAwait(false);
        var output = await CommandLine.RunAsync(Executables.Reporter, ["keys", "new", "--keystore", keystore, "--password-file", password], null,
            cancellationToken).ConfigureAwait(false);
        var address = Address.TryParse(output.Trim(), out var a)
            ? a
            : throw new DevnetSetupException("reporter keys", $"supplyoracle-reporter keys new printed '{output.Trim()}', not an address");
        return new ReporterKey($"reporter-{index}", keystore, password, address);
    }

    private async Task<Address> CreateTransmitterKeyAsync(CancellationToken cancellationToken)
    {
        var key = PrivateKey.Generate();
        _transmitterKeystore = Path.Combine(_directory!.Keys, "aggregator.json");
        _transmitterPassword = Path.Combine(_directory.Keys, "aggregator.password");
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(_transmitterPassword, password, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(_transmitterKeystore, KeystoreV3.Encrypt(key, password), cancellationToken).ConfigureAwait(false);
        return key.Address;
    }

    private async Task StartAggregatorAsync(ChainEndpoint endpoint, CancellationToken cancellationToken)
    {
        var database = await _postgres!.CreateDatabaseAsync("aggregator", cancellationToken).ConfigureAwait(false);
        _aggregatorDatabase = NpgsqlDataSource.Create(database);
        for (var attempt = 1; ; attempt++)
        {
            var grpc = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
            var http = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
            var node = new AggregatorNode(database, grpc, http, _transmitterKeystore!, _transmitterPassword!);
            var config = Path.Combine(_directory!.Config, "aggregator.json");
            await NodeConfigs.WriteAsync(config, NodeConfigs.Aggregator(endpoint, node), cancellationToken).ConfigureAwait(false);
            var process = ServiceProcess.Start("aggregator", Executables.Aggregator, ["run", "--config", config], Path.Combine(_directory.Logs, "aggregator.log"),
                QuietHostLogging);
            _aggregatorGrpc = new Uri($"http://{grpc}");
            _aggregatorHttp = new Uri($"http://{http}/");
            if (await WaitHealthyAsync(process, new Uri(_aggregatorHttp, "healthz"), cancellationToken).ConfigureAwait(false))
            {
                _processes.Add(process);
                return;
            }

            var tail = process.Tail(20);
            await process.DisposeAsync().ConfigureAwait(false);
            if (attempt == 3)
            {
                throw new DevnetSetupException("aggregator", $"did not become healthy:\n{tail}");
            }
        }
    }

    private async Task StartReporterAsync(ChainEndpoint endpoint, ReporterKey key, int index, CancellationToken cancellationToken)
    {
        var tokens = _chain!.Tokens.Select(t => index == FeedReporter
                ? new ReporterTokenSource(t.Address, [], _feed!.UrlOf(t.Address))
                : new ReporterTokenSource(t.Address, [.. ExtraLocked(t)], null))
            .ToArray();
        var node = new ReporterNode(key.Name, key.Keystore, key.PasswordFile, Path.Combine(_directory!.Journals, $"{key.Name}.journal"),
            new IPEndPoint(IPAddress.Loopback, FreePort.Next()), tokens);
        _reporterHealth.Add((key.Name, new Uri($"http://{node.HealthListen}/")));
        var config = Path.Combine(_directory.Config, $"{key.Name}.json");
        await NodeConfigs.WriteAsync(config, NodeConfigs.Reporter(endpoint with { RpcUrl = ReporterRpc(endpoint.RpcUrl, index) }, node, _aggregatorGrpc!), cancellationToken).ConfigureAwait(false);
        _processes.Add(ServiceProcess.Start(key.Name, Executables.Reporter, ["run", "--config", config], Path.Combine(_directory.Logs, $"{key.Name}.log"),
            QuietHostLogging));
    }

    /// <summary>What the reporters know beyond the registry: the market maker's locked inventory.</summary>
    private static IEnumerable<Address> ExtraLocked(DeployedToken token) =>
        token.Plan.Holdings.Where(h => h.Role == HolderRole.MarketMaker).Select(h => h.Account);

    /// <summary>The feed's figure: the registry's live circulating minus the extra-locked balances, times 99.5 %.</summary>
    private async Task<BigInteger?> FeedValueAsync(Address token, CancellationToken cancellationToken)
    {
        var deployed = _chain!.Tokens.FirstOrDefault(t => t.Address == token);
        if (deployed is null)
        {
            return null;
        }

        var circulating = await _chain.Registry.OnChainCirculatingAsync(token, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        var locked = await _chain.BalanceSumAsync(deployed, [.. ExtraLocked(deployed)], cancellationToken).ConfigureAwait(false);
        return (circulating - locked) * FeedPerMille / 1_000;
    }

    /// <summary>
    /// Prints where everything can be reached and writes the same to <c>DIR/endpoints.env</c> (issue 19: an operator
    /// trying the network needs the aggregator's and reporters' addresses and the owner key without reading the code).
    /// </summary>
    private async Task SayEndpointsAsync(CancellationToken cancellationToken)
    {
        var ownerKeyFile = Path.Combine(_directory!.Keys, "owner.key");
        await File.WriteAllTextAsync(ownerKeyFile, DevnetChain.OwnerPrivateKey + "\n", cancellationToken).ConfigureAwait(false);
        var endpoints = new DevnetEndpoints(_anvil!.RpcUrl, _postgres!.Port, DevnetParameters.ChainId, _chain!.Oracle.Address.ToString(),
            _chain.Registry.Address.ToString(), _aggregatorGrpc!, _aggregatorHttp!, [.. _reporterHealth], _chain.Owner.Address.ToString(),
            ownerKeyFile, _directory.Logs);
        foreach (var line in endpoints.Lines())
        {
            Say(line);
        }

        var path = await endpoints.WriteAsync(_directory.Root, cancellationToken).ConfigureAwait(false);
        Say($"the same as shell variables: . {path}");
    }

    // Up to ~2 minutes of polls: on a loaded machine (many builds on two cores) a start can take that long.
    private static async Task<bool> WaitHealthyAsync(ServiceProcess process, Uri health, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 480; i++)
        {
            if (!process.IsRunning)
            {
                return false;
            }

            try
            {
                using var response = await http.GetAsync(health, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>A reporter's key material.</summary>
    private sealed record ReporterKey(string Name, string Keystore, string PasswordFile, Address Address);
}
