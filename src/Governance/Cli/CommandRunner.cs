using System.CommandLine;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Governance.Changes;

namespace SupplyOracle.Governance.Cli;

/// <summary>
/// Binds a command's action to a <see cref="Session"/> and turns every failure into its exit code at this one
/// boundary: bad input 2 (a wrong --oracle / --registry included), revert or node failure 1 (with the decoded cause).
/// </summary>
internal sealed class CommandRunner(GlobalOptions globals, CliEnvironment environment, TextReader input)
{
    public GlobalOptions Globals { get; } = globals;

    public void Bind(Command command, Func<Session, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var config = parseResult.InvocationConfiguration;
            var session = new Session(parseResult, Globals, environment, input, config.Output, config.Error);
            try
            {
                // A key given is loaded first: a bad one is bad input even when the node is down or a check refuses the command.
                _ = session.Key;
                await session.VerifyContractsAsync(cancellationToken).ConfigureAwait(false);
                return await action(session, cancellationToken).ConfigureAwait(false);
            }
            catch (ContractMismatchException ex)
            {
                return await session.FailAsync(ExitCodes.BadInput, "wrong-contract", ex.Message).ConfigureAwait(false);
            }
            catch (CliInputException ex)
            {
                return await session.FailAsync(ExitCodes.BadInput, "bad-input", ex.Message).ConfigureAwait(false);
            }
            catch (KeystoreException ex)
            {
                var problem = ex.Error == KeystoreError.WrongPassword ? "wrong password" : ex.Message;
                return await session.FailAsync(ExitCodes.BadInput, "keystore", $"--keystore: {problem}").ConfigureAwait(false);
            }
            catch (CommandFailedException ex)
            {
                return await session.FailAsync(ExitCodes.Failed, ex.Error, ex.Message).ConfigureAwait(false);
            }
            catch (ContractRevertException ex)
            {
                var explained = await RevertExplainer.ExplainAsync(session, ex, cancellationToken).ConfigureAwait(false);
                return await session.FailAsync(ExitCodes.Failed, explained.Error, explained.Message).ConfigureAwait(false);
            }
            catch (TransactionRevertedException ex)
            {
                return await session.FailAsync(ExitCodes.Failed, "reverted", $"transaction {ex.Receipt.TransactionHash} reverted in block {ex.Receipt.BlockNumber}")
                    .ConfigureAwait(false);
            }
            catch (FeeCeilingExceededException ex)
            {
                return await session.FailAsync(ExitCodes.Failed, "fee-ceiling", $"{ex.Message} (raise --max-fee-gwei)").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonRpcException or JsonRpcTransportException or HttpRequestException or TaskCanceledException)
            {
                return await session.FailAsync(ExitCodes.Failed, "rpc", $"node error: {ex.Message}").ConfigureAwait(false);
            }
        });
    }
}
