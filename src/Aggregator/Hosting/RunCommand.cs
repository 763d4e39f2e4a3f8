using System.CommandLine;
using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Hosting.Internal;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.State;
using SupplyOracle.Telemetry;

namespace SupplyOracle.Aggregator.Hosting;

/// <summary><c>supplyoracle-aggregator run --config FILE</c>: runs the service until stopped (Ctrl+C / SIGTERM).</summary>
public static class RunCommand
{
    /// <summary>Exit code when the configuration is missing or invalid.</summary>
    public const int BadConfiguration = 2;

    /// <summary>Exit code when the event store's database cannot be reached at start.</summary>
    public const int DatabaseUnavailable = 3;

    /// <summary>Exit code when the database holds the previous release's event store (docs/operator-guide.md, upgrading).</summary>
    public const int LegacyDatabase = 4;

    /// <summary>Exit code when the chain's JSON-RPC endpoint (<c>Aggregator:RpcUrl</c>) cannot be reached at start.</summary>
    public const int RpcUnavailable = 5;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "JSON configuration file with an \"Aggregator\" section (README.md \"Aggregator configuration\")", Required = true };
        var run = new Command("run", "Run the aggregator: gossip intake over gRPC, event log on PostgreSQL, health over HTTP") { config };
        run.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(config)!, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return run;
    }

    /// <summary>
    /// The one-line start-up banner (issue 19 item 5): the aggregator, its transmitter (or intake only), chain,
    /// contracts, the oracle's listed tokens and where it listens.
    /// </summary>
    internal static async Task<string> BannerAsync(ValidatedAggregatorOptions options, SupplyOracle.Contracts.Bindings.Primitives.Address? sender,
        EthereumRpcClient client, RunningHost host, CancellationToken cancellationToken)
    {
        string tokens;
        try
        {
            var listed = await new SupplyOracleContract(client, options.Oracle).ListedTokensAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            tokens = $"[{string.Join(", ", listed)}]";
        }
        catch (Exception e) when (e is JsonRpcTransportException or JsonRpcException or HttpRequestException or ContractRevertException)
        {
            tokens = "(not read: the node did not answer)";
        }

        var who = sender is { } address
            ? $"aggregator {options.Rounds.AggregatorId} transmitting from {address}"
            : $"aggregator {options.Rounds.AggregatorId} serving intake only (no {AggregatorOptions.Section}:Keystore or PrivateKeyFile)";
        return $"{who} on chain {options.ChainId}: oracle {options.Oracle}, registry {options.Registry}, tokens {tokens}, rpc {options.RpcUrl}, "
            + $"listening grpc {host.Grpc}{(host.Http is null ? "" : $" http {host.Http} (metrics {host.Http}metrics)")}";
    }

    /// <summary>Reads and validates the settings: the file, then environment variables (<c>Aggregator__RpcUrl</c>), as Microsoft.Extensions.Configuration orders them.</summary>
    /// <exception cref="Exception">A setting is missing, misspelt or invalid (<see cref="IsConfigurationError"/>).</exception>
    internal static (ValidatedAggregatorOptions Options, ValidatedTransmissionOptions Transmission, ValidatedQueryOptions Query, ValidatedGrpcOptions Grpc)
        LoadConfiguration(FileInfo file)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file.FullName, optional: false)
            .AddEnvironmentVariables()
            .Build();
        // A misspelt key is an error, not a silently ignored setting.
        var raw = configuration.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new AggregatorOptions();
        return (raw.Validate(), raw.ValidateTransmission(), raw.ValidateQuery(), raw.ValidateGrpc());
    }

    /// <summary>True for the exceptions <see cref="LoadConfiguration"/> reports a bad setting or file with.</summary>
    internal static bool IsConfigurationError(Exception e) =>
        e is AggregatorConfigurationException or FileNotFoundException or InvalidDataException or FormatException or InvalidOperationException;

    private static async Task<int> RunAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ValidatedAggregatorOptions options;
        ValidatedTransmissionOptions transmission;
        ValidatedQueryOptions query;
        ValidatedGrpcOptions grpc;
        try
        {
            (options, transmission, query, grpc) = LoadConfiguration(file);
        }
        catch (Exception e) when (IsConfigurationError(e))
        {
            await error.WriteLineAsync($"error: configuration: {e.Message}").ConfigureAwait(false);
            return BadConfiguration;
        }

        // Prometheus beside OTLP (issue 19 item 4): built before anything records, so the series started at 0 are in the first scrape.
        using var prometheus = new PrometheusExport(AggregatorTelemetryExport.Meters);
        AggregatorTelemetry.StartSeries();

        // Marten's daemon logs every batch at Information: it is quiet here below Warning; progress is the
        // supplyoracle.projection.lag gauge (AggregatorTelemetry) instead.
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Marten", LogLevel.Warning).AddFilter("JasperFx", LogLevel.Warning).AddFilter("Weasel", LogLevel.Warning));
        PrivateKey? transmitterKey = null;
        try
        {
            transmitterKey = options.Rounds.Key is { } keySource ? TransmitterKeyLoader.Load(keySource) : null;
        }
        catch (AggregatorConfigurationException e)
        {
            await error.WriteLineAsync($"error: configuration: {e.Message}").ConfigureAwait(false);
            return BadConfiguration;
        }

        var client = new EthereumRpcClient(new RpcEndpointClient(options.RpcUrl, timeout: TimeSpan.FromSeconds(30)));
        var deployment = new OracleDeployment(options.ChainId, options.Oracle, options.Registry);
        var dataSource = AggregatorEventStore.CreateDataSource(options.Database);
        await using var dataSourceScope = dataSource.ConfigureAwait(false);
        CrashAfterAppendStore? crashHook = null;
        if (options.Rounds.CrashAfter is { } crashAfter)
        {
            await error.WriteLineAsync($"warning: TEST HOOK Aggregator:Testing:CrashAfter={crashAfter} is set: this process will die after that event").ConfigureAwait(false);
            var crashLogger = loggerFactory.CreateLogger("SupplyOracle.Aggregator.Testing");
            crashHook = new CrashAfterAppendStore(crashAfter, (type, stream) => Rounds.Internal.Log.Crashing(crashLogger, type, stream));
        }

        AggregatorEventStore events;
        try
        {
            events = await AggregatorEventStore.StartAsync(dataSource, new AggregatorStoreOptions(options.EventStoreSchema, query.Schema) { Listener = crashHook },
                loggerFactory, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (LegacyEventStoreException e)
        {
            await error.WriteLineAsync($"error: database: {e.Message}; nothing was started").ConfigureAwait(false);
            return LegacyDatabase;
        }
        catch (Exception e) when (EventConflicts.IsTransient(e) || e is System.Net.Sockets.SocketException || e.InnerException is NpgsqlException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"error: database: cannot reach the event store at Aggregator:Database ({(e.InnerException ?? e).Message}); nothing was started").ConfigureAwait(false);
            return DatabaseUnavailable;
        }

        await using var eventsScope = events.ConfigureAwait(false);
        try
        {
            await DeploymentContracts.VerifyOracleAsync(client, deployment.Oracle, deployment.ChainId, $"{AggregatorOptions.Section}:Oracle", cancellationToken).ConfigureAwait(false);
            await DeploymentContracts.VerifyRegistryAsync(client, deployment.Registry, $"{AggregatorOptions.Section}:Registry", cancellationToken).ConfigureAwait(false);
        }
        catch (ContractMismatchException e)
        {
            await error.WriteLineAsync($"error: {e.Message}; nothing was started").ConfigureAwait(false);
            return BadConfiguration;
        }
        catch (Exception e) when (e is JsonRpcTransportException or JsonRpcException or HttpRequestException)
        {
            await error.WriteLineAsync($"error: {AggregatorOptions.Section}:RpcUrl: cannot reach {options.RpcUrl} ({e.Message}); nothing was started").ConfigureAwait(false);
            return RpcUnavailable;
        }

        var store = events.Store;
        var reader = new OracleStateReader(client, deployment);
        var chain = new RpcCanonicalChain(client, TimeProvider.System, options.BlockCache);
        var intake = new ObservationIntake(store, new BatchVerifier(deployment),
            new ContractIntakeViewSource(client, reader, options.Oracle, TimeProvider.System, options.ViewRefresh, transmission.ChainLogPoll), chain,
            TimeProvider.System, loggerFactory);
        var hub = transmitterKey is null ? null : new ProposalHub(store);
        var gossip = new GossipService(intake, loggerFactory, hub);
        var queryServices = await AggregatorQueryServices.StartAsync(dataSource, events, query, loggerFactory, client, deployment,
            TimeProvider.System, cancellationToken).ConfigureAwait(false);
        await using var queryScope = queryServices.ConfigureAwait(false);
        RoundCoordinator? coordinator = null;
        string Role() => transmitterKey is null ? "intake only" : coordinator?.HoldsLease == true ? "leader" : "follower";
        var health = new AggregatorHealth(dataSource, client, Role);
        queryServices.Dashboard?.AttachReplica(Role, () => gossip.OpenStreams);
        RunningHost host;
        try
        {
            host = await AggregatorWebHost.StartAsync(options.GrpcListen, options.HttpListen, gossip, queryServices,
                logging => logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft.AspNetCore", LogLevel.Warning), grpc, health,
                prometheus, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            var (setting, address) = options.HttpListen is { } http && e.Message.Contains(http.ToString(), StringComparison.Ordinal)
                ? ("HttpListen", http) : ("GrpcListen", options.GrpcListen);
            await error.WriteLineAsync($"error: {AggregatorOptions.Section}:{setting}: {address} is in use by another process; nothing was started").ConfigureAwait(false);
            return BadConfiguration;
        }
        await using var hostScope = host.ConfigureAwait(false);
        // SIGTERM / Ctrl+C reach either the command line's token or the host's console lifetime (which stops the host):
        // either ends the wait below, and then the round loop is stopped.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = Task.CompletedTask;
        var gauges = new ChainGauges(client, reader, transmitterKey?.Address, query.PollInterval, TimeProvider.System, loggerFactory.CreateLogger<ChainGauges>()).RunAsync(stopping.Token);
        if (transmitterKey is not null)
        {
            var rounds = options.Rounds;
            var sender = new TransactionSender(client, transmitterKey, transmission.Sender with { PollInterval = rounds.PollInterval },
                TimeProvider.System, loggerFactory.CreateLogger<TransactionSender>());
            var alarm = new SenderBalanceAlarm(store, client, sender.Address, transmission.LowBalance, loggerFactory.CreateLogger<SenderBalanceAlarm>());
            // One transmitter across the replicas sharing this database: the replica whose Marten daemon holds the query
            // projection's HotCold lock (DaemonLeadership: one leader mechanism for the daemon and the transmitter).
            coordinator = new RoundCoordinator(store, new RoundCloser(store, deployment, reader, chain, rounds.AggregatorId),
                new RoundTransmitter(store, deployment, sender, alarm, loggerFactory.CreateLogger<RoundTransmitter>()), hub!, reader, chain, events.Leadership,
                new RoundCoordinatorOptions(rounds.CloseAfter, rounds.AttestationTimeout, rounds.PollInterval)
                {
                    ReporterConfirmations = rounds.ReporterConfirmations,
                    ReconnectGrace = rounds.ReconnectGrace,
                }, TimeProvider.System, loggerFactory);
            loop = coordinator.RunAsync(stopping.Token);
        }

        await output.WriteLineAsync(await BannerAsync(options, transmitterKey?.Address, client, host, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        try
        {
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await output.WriteLineAsync("stopping").ConfigureAwait(false);
        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        await gauges.ConfigureAwait(false);
        gossip.CompleteStreams();
        return 0;
    }
}
