using System.Globalization;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Deployment;

/// <summary>A check found something the operator must fix; the message says what.</summary>
/// <param name="fix">What is wrong and what to do, in one line.</param>
public sealed class CheckFailedException(string fix) : Exception(fix);

/// <summary>
/// The <c>check</c> command of the reporter, the aggregator and the governance CLI (issue 19 item 5): each check prints
/// one line, <c>OK   name: what was found</c> or <c>FAIL name: what to fix</c>, and a failed check does not stop the
/// next. The checks every program shares are here: each RPC endpoint's chain id, that the endpoints are at about the
/// same head, and that the contracts are what they claim (<see cref="DeploymentContracts"/>).
/// </summary>
public sealed class DeploymentChecks
{
    /// <summary>How many blocks the endpoints' heads may differ by (block propagation; more is a lagging node).</summary>
    public const ulong HeadTolerance = 3;

    private readonly TextWriter _output;

    /// <summary>Prints to <paramref name="output"/>.</summary>
    public DeploymentChecks(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>How many checks failed so far.</summary>
    public int Failures { get; private set; }

    /// <summary>
    /// Runs one check and prints its line. The check returns its value and what it found, or throws
    /// <see cref="CheckFailedException"/> (or <see cref="ContractMismatchException"/>) with what to fix; a node error
    /// fails the check with the node's message.
    /// </summary>
    /// <returns>The check's value, or default when it failed.</returns>
    public async Task<T?> RunAsync<T>(string name, Func<CancellationToken, Task<(T Value, string Found)>> check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            var (value, found) = await check(cancellationToken).ConfigureAwait(false);
            await _output.WriteLineAsync($"OK   {name}: {found}").ConfigureAwait(false);
            return value;
        }
        catch (Exception ex) when (ex is CheckFailedException or ContractMismatchException)
        {
            await FailAsync(name, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is JsonRpcTransportException or JsonRpcException or HttpRequestException or TaskCanceledException or ContractRevertException)
        {
            await FailAsync(name, $"node error: {ex.Message}").ConfigureAwait(false);
        }

        return default;
    }

    /// <summary>Prints a failed check's line (for a check that could not even start).</summary>
    public async Task FailAsync(string name, string fix)
    {
        Failures++;
        await _output.WriteLineAsync($"FAIL {name}: {fix}").ConfigureAwait(false);
    }

    /// <summary>
    /// Checks that the endpoint answers and is on <paramref name="chainId"/>; its head, or null when the check failed.
    /// </summary>
    /// <param name="setting">The setting naming the endpoint (e.g. <c>Reporter:Rpc:Endpoints:0</c>).</param>
    /// <param name="url">The endpoint.</param>
    /// <param name="client">Its client.</param>
    /// <param name="chainId">The configured chain id.</param>
    /// <param name="chainSetting">The setting of the chain id.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<ulong?> EndpointAsync(string setting, Uri url, EthereumRpcClient client, ulong chainId, string chainSetting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await RunAsync<ulong?>($"rpc {setting}", async ct =>
        {
            ulong actual;
            ulong head;
            try
            {
                actual = await client.ChainIdAsync(ct).ConfigureAwait(false);
                head = await client.BlockNumberAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is JsonRpcTransportException or JsonRpcException or HttpRequestException or TaskCanceledException)
            {
                throw new CheckFailedException($"{url} does not answer ({ex.Message}): check the URL and that the node is up");
            }

            if (actual != chainId)
            {
                throw new CheckFailedException($"{url} is on chain {actual}, but {chainSetting} is {chainId}: point {setting} at a node of chain {chainId} (or fix {chainSetting})");
            }

            return (head, $"{url} is on chain {chainId}, head {head}");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that the endpoints that answered are within <see cref="HeadTolerance"/> blocks of the highest.</summary>
    public Task HeadsAsync(IReadOnlyList<(string Setting, ulong? Head)> heads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heads);
        return RunAsync("rpc heads", _ =>
        {
            var answered = heads.Where(h => h.Head is not null).Select(h => (h.Setting, Head: h.Head!.Value)).ToList();
            if (answered.Count == 0)
            {
                throw new CheckFailedException("no endpoint answered (see above)");
            }

            var top = answered.Max(h => h.Head);
            var behind = answered.Where(h => top - h.Head > HeadTolerance).ToList();
            if (behind.Count > 0)
            {
                throw new CheckFailedException(string.Join("; ", behind.Select(h =>
                    $"{h.Setting} is at block {h.Head}, {top - h.Head} behind the highest head {top}: that node is syncing or stuck; fix it or remove it")));
            }

            var spread = top - answered.Min(h => h.Head);
            return Task.FromResult((true, answered.Count == 1
                ? $"one endpoint, head {top}"
                : string.Create(CultureInfo.InvariantCulture, $"{answered.Count} endpoints within {spread} blocks of head {top}")));
        }, cancellationToken);
    }

    /// <summary>Checks that the oracle and the registry are those contracts (two lines).</summary>
    public async Task ContractsAsync(EthereumRpcClient client, Address oracle, string oracleSetting, Address registry, string registrySetting, ulong chainId,
        CancellationToken cancellationToken)
    {
        await RunAsync($"oracle {oracleSetting}", async ct =>
        {
            await DeploymentContracts.VerifyOracleAsync(client, oracle, chainId, oracleSetting, ct).ConfigureAwait(false);
            return (true, $"{oracle} is a SupplyOracle of chain {chainId}");
        }, cancellationToken).ConfigureAwait(false);
        await RunAsync($"registry {registrySetting}", async ct =>
        {
            await DeploymentContracts.VerifyRegistryAsync(client, registry, registrySetting, ct).ConfigureAwait(false);
            return (true, $"{registry} is an ExcludedAddressRegistry");
        }, cancellationToken).ConfigureAwait(false);
    }
}
