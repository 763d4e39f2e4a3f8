using System.CommandLine;
using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Hosting.Internal;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Rounds.Internal;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Leadership;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Aggregator.Hosting;

/// <summary><c>supplyoracle-aggregator run --config FILE</c>: runs the service until stopped (Ctrl+C / SIGTERM).</summary>
public static class RunCommand
{
    /// <summary>Exit code when the configuration is missing or invalid.</summary>
    public const int BadConfiguration = 2;

    /// <summary>Exit code when the event store's database cannot be reached at start.</summary>
    public const int DatabaseUnavailable = 3;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "JSON configuration file with an \"Aggregator\" section (README.md \"Aggregator configuration\")", Required = true };
        var run = new Command("run", "Run the aggregator: gossip intake over gRPC, event log on PostgreSQL, health over HTTP") { config };
        run.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(config)!, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return run;
    }

    private static async Task<int> RunAsync(FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ValidatedAggregatorOptions options;
        ValidatedTransmissionOptions transmission;
        ValidatedQueryOptions query;
        try
        {
            // Precedence: the file, then environment variables (Aggregator__RpcUrl), as Microsoft.Extensions.Configuration orders them.
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(file.FullName, optional: false)
                .AddEnvironmentVariables()
                .Build();
            // A misspelt key is an error, not a silently ignored setting.
            var raw = configuration.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new AggregatorOptions();
            options = raw.Validate();
            transmission = raw.ValidateTransmission();
            query = raw.ValidateQuery();
        }
        catch (Exception e) when (e is AggregatorConfigurationException or FileNotFoundException or InvalidDataException or FormatException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: configuration: {e.Message}").ConfigureAwait(false);
            return BadConfiguration;
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
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

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new EthereumRpcClient(new HttpJsonRpcTransport(http, options.RpcUrl));
        var deployment = new OracleDeployment(options.ChainId, options.Oracle, options.Registry);
        var dataSource = NpgsqlDataSource.Create(options.Database);
        await using var dataSourceScope = dataSource.ConfigureAwait(false);
        var storeOptions = new EventStoreOptions { Schema = options.EventStoreSchema, LoggerFactory = loggerFactory };
        try
        {
            await PostgresEventStore.MigrateAsync(dataSource, storeOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EventStoreException or NpgsqlException or TimeoutException)
        {
            await error.WriteLineAsync($"error: database: cannot reach the event store at Aggregator:Database ({(e.InnerException ?? e).Message}); nothing was started").ConfigureAwait(false);
            return DatabaseUnavailable;
        }

        IEventStore store = PostgresEventStore.Create(dataSource, storeOptions);
        if (options.Rounds.CrashAfter is { } crashAfter)
        {
            await error.WriteLineAsync($"warning: TEST HOOK Aggregator:Testing:CrashAfter={crashAfter} is set: this process will die after that event").ConfigureAwait(false);
            var crashLogger = loggerFactory.CreateLogger("SupplyOracle.Aggregator.Testing");
            store = new CrashAfterAppendStore(store, crashAfter, (type, stream) => Log.Crashing(crashLogger, type, stream));
        }

        var map = new EventTypeMap().RegisterIntakeEvents().RegisterRoundEvents().RegisterTransmissionEvents();
        var reader = new OracleStateReader(client, deployment);
        var chain = new RpcCanonicalChain(client, TimeProvider.System, options.BlockCache);
        var intake = new ObservationIntake(store, map, new BatchVerifier(deployment),
            new ContractIntakeViewSource(client, reader, options.Oracle, TimeProvider.System, options.ViewRefresh, transmission.ChainLogPoll), chain,
            TimeProvider.System, loggerFactory);
        var hub = transmitterKey is null ? null : new ProposalHub(store, map);
        var gossip = new GossipService(intake, loggerFactory, hub);
        var queryServices = await AggregatorQueryServices.StartAsync(dataSource, options.EventStoreSchema, query, loggerFactory, client, deployment,
            TimeProvider.System, cancellationToken).ConfigureAwait(false);
        await using var queryScope = queryServices.ConfigureAwait(false);
        var host = await AggregatorWebHost.StartAsync(options.GrpcListen, options.HttpListen, gossip, queryServices,
            logging => logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft.AspNetCore", LogLevel.Warning), cancellationToken).ConfigureAwait(false);
        await using var hostScope = host.ConfigureAwait(false);
        // SIGTERM / Ctrl+C reach either the command line's token or the host's console lifetime (which stops the host):
        // either ends the wait below, and then the round loop is stopped.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = Task.CompletedTask;
        if (transmitterKey is not null)
        {
            var rounds = options.Rounds;
            var sender = new TransactionSender(client, transmitterKey, transmission.Sender with { PollInterval = rounds.PollInterval },
                TimeProvider.System, loggerFactory.CreateLogger<TransactionSender>());
            var alarm = new SenderBalanceAlarm(store, map, client, sender.Address, transmission.LowBalance, loggerFactory.CreateLogger<SenderBalanceAlarm>());
            // One transmitter per deployment across the replicas sharing this database (the advisory lock is database-wide).
            var election = new LeaderElection(dataSource, $"transmitter.{options.EventStoreSchema}.{options.Oracle}", new LeaderElectionOptions { LoggerFactory = loggerFactory });
            var coordinator = new RoundCoordinator(store, map, new RoundCloser(store, map, deployment, reader, chain, rounds.AggregatorId),
                new RoundTransmitter(store, map, deployment, sender, alarm, loggerFactory.CreateLogger<RoundTransmitter>()), hub!, reader, chain, election,
                new RoundCoordinatorOptions(rounds.CloseAfter, rounds.AttestationTimeout, rounds.PollInterval), TimeProvider.System, loggerFactory);
            loop = coordinator.RunAsync(stopping.Token);
            await output.WriteLineAsync($"aggregator {rounds.AggregatorId}: transmitting from {sender.Address}").ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync("no transmitter key (Aggregator:Keystore or Aggregator:PrivateKeyFile): serving intake only").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"listening grpc {host.Grpc}{(host.Http is null ? "" : $" http {host.Http}")}").ConfigureAwait(false);
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
        gossip.CompleteStreams();
        return 0;
    }
}
