using System.CommandLine;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Reporter.Configuration;
using SupplyOracle.Reporter.Keys;

namespace SupplyOracle.Reporter.Cli;

/// <summary>
/// <c>check --config FILE [--Reporter:Setting=value ...]</c> (issue 19 item 5): reads the settings as <c>run</c> does,
/// then checks, one line each (<see cref="DeploymentChecks"/>): the key decrypts, every RPC endpoint answers on the
/// configured chain at about the same head, the oracle and the registry are what they claim, the key is a registered
/// reporter, and every configured token is listed. Exit 0 when all pass, 1 when one fails, 2 when the settings
/// cannot be read. Sends nothing and writes nothing.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "JSON settings file (section Reporter)", Required = true };
        var command = new Command("check", "Check the settings against the chain: key, chain id and heads of every RPC endpoint, contracts, registration, tokens") { config };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (r, ct) =>
        {
            var checks = new DeploymentChecks(r.InvocationConfiguration.Output);
            var path = r.GetValue(config)!;
            var options = await checks.RunAsync("configuration", _ =>
            {
                try
                {
                    return Task.FromResult((ReporterConfiguration.Load(ReporterConfiguration.Build(path, r.UnmatchedTokens)), Path.GetFullPath(path)));
                }
                catch (ReporterConfigurationException ex)
                {
                    throw new CheckFailedException($"{ex.Setting}: {ex.Problem}");
                }
                catch (FileNotFoundException ex)
                {
                    throw new CheckFailedException($"--config: {ex.Message}");
                }
            }, ct).ConfigureAwait(false);
            if (options is null)
            {
                return Program.BadInput;
            }

            await CheckAsync(checks, options, ct).ConfigureAwait(false);
            return checks.Failures == 0 ? Program.Ok : Program.Failed;
        });
        return command;
    }

    private static async Task CheckAsync(DeploymentChecks checks, ReporterOptions options, CancellationToken cancellationToken)
    {
        const string section = ReporterOptions.Section;
        var signer = await checks.RunAsync<ISigner>("key", _ =>
        {
            try
            {
                var loaded = KeystoreSigner.Load(options.Key.Keystore, PasswordSource.From(options.Key.PasswordFile, options.Key.PasswordEnvironmentVariable,
                    $"{section}:Key:PasswordFile", $"{section}:Key:PasswordEnvironmentVariable"));
                return Task.FromResult((loaded, $"{loaded.Address} (keystore {Path.GetFullPath(options.Key.Keystore)})"));
            }
            catch (KeySetupException ex)
            {
                throw new CheckFailedException($"{section}:Key:{ex.Setting}: {ex.Message}");
            }
        }, cancellationToken).ConfigureAwait(false);

        var heads = new List<(string Setting, ulong? Head)>();
        EthereumRpcClient? answering = null;
        for (var i = 0; i < options.Rpc.Endpoints.Count; i++)
        {
            var url = new Uri(options.Rpc.Endpoints[i]);
            var client = new EthereumRpcClient(new RpcEndpointClient(url, timeout: TimeSpan.FromSeconds(options.Rpc.TimeoutSeconds)));
            var setting = $"{section}:Rpc:Endpoints:{i}";
            var head = await checks.EndpointAsync(setting, url, client, options.Chain.ChainId, $"{section}:Chain:ChainId", cancellationToken).ConfigureAwait(false);
            heads.Add((setting, head));
            answering ??= head is null ? null : client;
        }

        await checks.HeadsAsync(heads, cancellationToken).ConfigureAwait(false);
        if (answering is null)
        {
            await checks.FailAsync("contracts", "not checked: no RPC endpoint on the configured chain answered").ConfigureAwait(false);
            return;
        }

        var oracle = Address.Parse(options.Chain.Oracle);
        await checks.ContractsAsync(answering, oracle, $"{section}:Chain:Oracle", Address.Parse(options.Chain.Registry), $"{section}:Chain:Registry",
            options.Chain.ChainId, cancellationToken).ConfigureAwait(false);
        var contract = new SupplyOracleContract(answering, oracle);
        if (signer is not null)
        {
            await checks.RunAsync("registered", async ct =>
            {
                if (!await contract.IsReporterAsync(signer.Address, cancellationToken: ct).ConfigureAwait(false))
                {
                    throw new CheckFailedException($"{signer.Address} is not a reporter of {oracle}: the oracle's owner must add it "
                        + $"(supplyoracle oracle reporters add {signer.Address}); until then the aggregators reject its batches");
                }

                return (true, $"{signer.Address} is a reporter of {oracle}");
            }, cancellationToken).ConfigureAwait(false);
        }

        await checks.RunAsync("tokens", async ct =>
        {
            var listed = (await contract.ListedTokensAsync(cancellationToken: ct).ConfigureAwait(false)).ToHashSet();
            var unlisted = options.Tokens.Select((t, i) => (Setting: $"{section}:Tokens:{i}:Address", Token: Address.Parse(t.Address)))
                .Where(t => !listed.Contains(t.Token)).ToList();
            if (unlisted.Count > 0)
            {
                throw new CheckFailedException(string.Join("; ", unlisted.Select(t => $"{t.Setting} {t.Token} is not listed on the oracle"))
                    + ": remove it, or ask the oracle's owner to list it");
            }

            return (true, $"{options.Tokens.Count} configured, all listed on the oracle ({listed.Count} listed)");
        }, cancellationToken).ConfigureAwait(false);
    }
}
