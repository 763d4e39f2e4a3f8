using System.CommandLine;
using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.EventStore;
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
        try
        {
            // Precedence: the file, then environment variables (Aggregator__RpcUrl), as Microsoft.Extensions.Configuration orders them.
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(file.FullName, optional: false)
                .AddEnvironmentVariables()
                .Build();
            options = (configuration.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>() ?? new AggregatorOptions()).Validate();
        }
        catch (Exception e) when (e is AggregatorConfigurationException or FileNotFoundException or InvalidDataException or FormatException or InvalidOperationException)
        {
            await error.WriteLineAsync($"error: configuration: {e.Message}").ConfigureAwait(false);
            return BadConfiguration;
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new EthereumRpcClient(new HttpJsonRpcTransport(http, options.RpcUrl));
        var deployment = new OracleDeployment(options.ChainId, options.Oracle, options.Registry);
        var dataSource = NpgsqlDataSource.Create(options.Database);
        await using var dataSourceScope = dataSource.ConfigureAwait(false);
        var storeOptions = new EventStoreOptions { Schema = options.EventStoreSchema, LoggerFactory = loggerFactory };
        await PostgresEventStore.MigrateAsync(dataSource, storeOptions, cancellationToken).ConfigureAwait(false);
        var store = PostgresEventStore.Create(dataSource, storeOptions);
        var intake = new ObservationIntake(store, new EventTypeMap().RegisterIntakeEvents(), new BatchVerifier(deployment),
            new ContractIntakeViewSource(client, new OracleStateReader(client, deployment), TimeProvider.System, options.ViewRefresh),
            new RpcCanonicalChain(client, TimeProvider.System, options.BlockCache), TimeProvider.System, loggerFactory);
        var host = await AggregatorWebHost.StartAsync(options.GrpcListen, options.HttpListen, new GossipService(intake, loggerFactory),
            logging => logging.AddSimpleConsole(o => o.SingleLine = true), cancellationToken).ConfigureAwait(false);
        await using var hostScope = host.ConfigureAwait(false);
        await output.WriteLineAsync($"listening grpc {host.Grpc}{(host.Http is null ? "" : $" http {host.Http}")}").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
