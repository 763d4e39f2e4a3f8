using System.CommandLine;
using System.Globalization;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;

namespace SupplyOracle.Governance.Cli;

/// <summary>
/// <c>supplyoracle check [--rpc URL] [--oracle A] [--registry A] [--keystore F | --private-key-env V]</c> (issue 19
/// item 5): one line per check (<see cref="DeploymentChecks"/>): the node answers (chain id, head), the oracle and the
/// registry are what they claim, and, with a key, that it decrypts, holds ETH for gas, and which roles it has.
/// Exit 0 when all pass, 1 when one fails. Sends nothing.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(GlobalOptions globals, CliEnvironment environment, TextReader input)
    {
        var command = new Command("check", "Check the node, the contracts and the key the other commands would use (sends nothing)");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var config = parseResult.InvocationConfiguration;
            var session = new Session(parseResult, globals, environment, input, config.Output, config.Error);
            var checks = new DeploymentChecks(config.Output);
            await CheckAsync(checks, session, cancellationToken).ConfigureAwait(false);
            return checks.Failures == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static async Task CheckAsync(DeploymentChecks checks, Session session, CancellationToken cancellationToken)
    {
        var chainId = await checks.RunAsync<ulong?>("rpc --rpc", async ct =>
        {
            var client = Input(() => session.Client);
            var id = await client.ChainIdAsync(ct).ConfigureAwait(false);
            var head = await client.BlockNumberAsync(ct).ConfigureAwait(false);
            return (id, $"chain {id}, head {head}");
        }, cancellationToken).ConfigureAwait(false);

        var key = await checks.RunAsync<PrivateKey?>("key", _ =>
        {
            var loaded = Input(() => session.Key);
            return Task.FromResult<(PrivateKey?, string)>((loaded, loaded is null ? "none given (reads and --calldata-only need none)" : $"{loaded.Address}"));
        }, cancellationToken).ConfigureAwait(false);
        if (chainId is not { } chain)
        {
            await checks.FailAsync("contracts", "not checked: the node did not answer").ConfigureAwait(false);
            return;
        }

        var oracleOwner = default(Address?);
        var oracleGuardian = default(Address?);
        if (session.HasOracle)
        {
            var oracle = Input(() => session.Oracle);
            await checks.ContractsAsync(session.Client, oracle.Address, "--oracle", (await session.RegistryAsync(cancellationToken).ConfigureAwait(false)).Address,
                "--registry (or the oracle's)", chain, cancellationToken).ConfigureAwait(false);
            (oracleOwner, oracleGuardian) = await checks.RunAsync<(Address?, Address?)>("roles", async ct =>
            {
                var owner = await oracle.OwnerAsync(cancellationToken: ct).ConfigureAwait(false);
                var guardian = await oracle.GuardianAsync(cancellationToken: ct).ConfigureAwait(false);
                return ((owner, guardian), $"the oracle's owner is {owner}, its guardian {guardian}");
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await checks.RunAsync("contracts", _ => Task.FromResult((true,
                $"no --oracle (nor {GlobalOptions.OracleVariable}) given: only registry commands with --registry will work")), cancellationToken).ConfigureAwait(false);
        }

        if (key is not null)
        {
            await checks.RunAsync("funded", async ct =>
            {
                var balance = await session.Client.GetBalanceAsync(key.Address, BlockId.Latest, ct).ConfigureAwait(false);
                if (balance == Wei.Zero)
                {
                    throw new CheckFailedException($"{key.Address} holds no ETH and cannot pay for gas: send it some, or use --calldata-only");
                }

                var role = key.Address == oracleOwner ? ", the oracle's owner" : key.Address == oracleGuardian ? ", the oracle's guardian" : "";
                return (true, string.Create(CultureInfo.InvariantCulture, $"{key.Address} holds {(double)balance.Value / 1e18:0.######} ETH{role}"));
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs an input step of the session, turning its bad-input exceptions into a failed check.</summary>
    private static T Input<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CliInputException ex)
        {
            throw new CheckFailedException(ex.Message);
        }
        catch (KeystoreException ex)
        {
            throw new CheckFailedException($"--keystore: {(ex.Error == KeystoreError.WrongPassword ? "wrong password" : ex.Message)}");
        }
    }
}
