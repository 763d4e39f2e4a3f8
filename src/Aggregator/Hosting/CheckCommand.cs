using System.CommandLine;
using System.Globalization;
using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;

namespace SupplyOracle.Aggregator.Hosting;

/// <summary>
/// <c>supplyoracle-aggregator check --config FILE</c> (issue 19 item 5): reads the settings as <c>run</c> does, then
/// checks, one line each (<see cref="DeploymentChecks"/>): the transmitter key loads, the RPC endpoint answers on the
/// configured chain, the oracle and the registry are what they claim, the transmitter is funded above the low-balance
/// threshold, and PostgreSQL answers. Exit 0 when all pass, 1 when one fails, 2 when the settings cannot be read.
/// Sends nothing and writes nothing.
/// </summary>
public static class CheckCommand
{
    /// <summary>
    /// Gas of one commit assumed for the funding check before any commit was made (a report of a few tokens; the
    /// runtime alarm uses the gas the last commit really used).
    /// </summary>
    public const ulong CommitGasEstimate = 250_000;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "JSON configuration file with an \"Aggregator\" section", Required = true };
        var check = new Command("check", "Check the settings against the chain and the database: key, chain id, contracts, funding, PostgreSQL") { config };
        check.SetAction(async (parseResult, cancellationToken) =>
        {
            var checks = new DeploymentChecks(parseResult.InvocationConfiguration.Output);
            var file = parseResult.GetValue(config)!;
            var loaded = await checks.RunAsync("configuration", _ =>
            {
                try
                {
                    var settings = RunCommand.LoadConfiguration(file);
                    return Task.FromResult<((ValidatedAggregatorOptions, ValidatedTransmissionOptions)?, string)>(((settings.Options, settings.Transmission), file.FullName));
                }
                catch (Exception e) when (RunCommand.IsConfigurationError(e))
                {
                    throw new CheckFailedException(e.Message);
                }
            }, cancellationToken).ConfigureAwait(false);
            if (loaded is not { } settings)
            {
                return RunCommand.BadConfiguration;
            }

            await CheckAsync(checks, settings.Item1, settings.Item2, cancellationToken).ConfigureAwait(false);
            return checks.Failures == 0 ? 0 : 1;
        });
        return check;
    }

    private static async Task CheckAsync(DeploymentChecks checks, ValidatedAggregatorOptions options, ValidatedTransmissionOptions transmission,
        CancellationToken cancellationToken)
    {
        const string section = AggregatorOptions.Section;
        var key = await checks.RunAsync<PrivateKey?>("transmitter key", _ =>
        {
            if (options.Rounds.Key is not { } source)
            {
                return Task.FromResult<(PrivateKey?, string)>((null,
                    $"none: this aggregator serves intake only (set {section}:Keystore or {section}:PrivateKeyFile to commit rounds)"));
            }

            try
            {
                var loaded = TransmitterKeyLoader.Load(source);
                return Task.FromResult<(PrivateKey?, string)>((loaded, $"{loaded.Address}"));
            }
            catch (AggregatorConfigurationException e)
            {
                throw new CheckFailedException(e.Message);
            }
        }, cancellationToken).ConfigureAwait(false);

        var client = new EthereumRpcClient(new RpcEndpointClient(options.RpcUrl, timeout: TimeSpan.FromSeconds(30)));
        var head = await checks.EndpointAsync($"{section}:RpcUrl", options.RpcUrl, client, options.ChainId, $"{section}:ChainId", cancellationToken).ConfigureAwait(false);
        await checks.HeadsAsync([($"{section}:RpcUrl", head)], cancellationToken).ConfigureAwait(false);
        if (head is not null)
        {
            await checks.ContractsAsync(client, options.Oracle, $"{section}:Oracle", options.Registry, $"{section}:Registry", options.ChainId, cancellationToken)
                .ConfigureAwait(false);
            if (key is not null)
            {
                await checks.RunAsync("funded", async ct => (true, await FundingAsync(client, key.Address, transmission, ct).ConfigureAwait(false)), cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        await checks.RunAsync("database", async ct => (true, await DatabaseAsync(options.Database, ct).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> FundingAsync(EthereumRpcClient client, Address sender, ValidatedTransmissionOptions transmission, CancellationToken cancellationToken)
    {
        var balance = await client.GetBalanceAsync(sender, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        var alarm = transmission.LowBalance;
        // The runtime alarm's threshold (SenderBalanceAlarm): the fixed one, else LowBalanceCommits commits at the fee ceiling.
        var threshold = alarm.Threshold ?? alarm.FeeCeiling * (CommitGasEstimate * (ulong)alarm.Commits);
        var (have, need) = (Ether(balance), Ether(threshold));
        if (balance < threshold)
        {
            throw new CheckFailedException($"{sender} holds {have} ETH, below the low-balance threshold {need} ETH "
                + $"({(alarm.Threshold is null ? $"{alarm.Commits} commits at the fee ceiling" : "Aggregator:LowBalanceWei")}): send ETH to {sender}");
        }

        return $"{sender} holds {have} ETH (low-balance threshold {need} ETH)";
    }

    private static async Task<string> DatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            var dataSource = AggregatorEventStore.CreateDataSource(connectionString);
            await using var dataSourceScope = dataSource.ConfigureAwait(false);
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var command = new NpgsqlCommand("SHOW server_version", connection);
            await using var commandScope = command.ConfigureAwait(false);
            var version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return $"PostgreSQL {version} answers at {connection.Host}:{connection.Port}/{connection.Database}";
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or ArgumentException)
        {
            throw new CheckFailedException($"cannot connect ({(e.InnerException ?? e).Message}): check {AggregatorOptions.Section}:Database and that PostgreSQL is up");
        }
    }

    private static string Ether(Wei wei) => ChainGauges.Ether(wei).ToString("0.######", CultureInfo.InvariantCulture);
}
