using System.Numerics;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Aggregator.Dashboard;

/// <summary>
/// What the web dashboard reads (README "Dashboard"): the query projection through <see cref="QueryReader"/>, readiness
/// from <see cref="ProjectionMonitor"/>, and, when the aggregator has a chain and a deployment, the oracle and the
/// registry at the chain head (one <see cref="OracleStateReader"/> snapshot, reused for the poll interval like
/// <see cref="OracleChainView"/>, and judged by the same rule). Read-only: nothing here writes to the log or the chain.
/// </summary>
public sealed class DashboardSource
{
    private readonly OracleStateReader? _oracle;
    private readonly ExcludedAddressRegistryContract? _registry;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private OracleSnapshot? _snapshot;
    private long _snapshotAt;
    private ReplicaProbe? _replica;

    /// <summary>Creates the source.</summary>
    /// <param name="reader">The query projection.</param>
    /// <param name="monitor">Readiness.</param>
    /// <param name="client">The node, or null.</param>
    /// <param name="deployment">The oracle and registry on <paramref name="client"/>, or null.</param>
    /// <param name="time">For the reuse interval of chain reads and the event stream's polling.</param>
    /// <param name="pollInterval"><c>Aggregator:Query:PollMilliseconds</c>: how often the event stream looks for changes.</param>
    public DashboardSource(QueryReader reader, ProjectionMonitor monitor, EthereumRpcClient? client,
        OracleDeployment? deployment, TimeProvider time, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(time);
        Reader = reader;
        Monitor = monitor;
        Client = client;
        _time = time;
        PollInterval = pollInterval;
        if (client is not null && deployment is not null)
        {
            _oracle = new OracleStateReader(client, deployment, time);
            _registry = new ExcludedAddressRegistryContract(client, deployment.Registry);
        }
    }

    /// <summary>
    /// Names what only the running process knows, for the Network page: this replica's role (leader, follower or intake
    /// only: the holder of the HotCold lock transmits) and how many reporter streams are open on it.
    /// </summary>
    /// <param name="role">Read at each render.</param>
    /// <param name="reporterStreams">Read at each render.</param>
    public void AttachReplica(Func<string> role, Func<int> reporterStreams)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(reporterStreams);
        Volatile.Write(ref _replica, new ReplicaProbe(role, reporterStreams));
    }

    /// <summary>This replica's role and open reporter streams now, or null when nothing is attached (a query-only host).</summary>
    internal (string Role, int ReporterStreams)? Replica => Volatile.Read(ref _replica) is { } r ? (r.Role(), r.ReporterStreams()) : null;

    /// <summary>The query projection.</summary>
    public QueryReader Reader { get; }

    /// <summary>Readiness.</summary>
    public ProjectionMonitor Monitor { get; }

    internal EthereumRpcClient? Client { get; }

    internal TimeSpan PollInterval { get; }

    internal TimeProvider Time => _time;

    /// <summary>True when the oracle and registry can be read.</summary>
    public bool HasChain => _oracle is not null;

    /// <summary>The oracle at the chain head (parameters, reporter set, tokens, pause), at most one poll interval old; null without a chain.</summary>
    /// <exception cref="QueryUnavailableException">The node could not be read.</exception>
    public async Task<OracleSnapshot?> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (_oracle is null || Client is null)
        {
            return null;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot is { } last && _time.GetElapsedTime(_snapshotAt) <= PollInterval)
            {
                return last;
            }

            _snapshot = await ChainAsync("read the oracle at the chain head", async () =>
                await _oracle.ReadAsync(await Client.BlockNumberAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            _snapshotAt = _time.GetTimestamp();
            return _snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// What a page shows changes with: the projection's log position and the chain's pauses (global and per token).
    /// Pages carry it (<c>main[data-state]</c>); the event stream sends it when it moves, and the page's script reloads.
    /// </summary>
    public async Task<string> StateAsync(CancellationToken cancellationToken)
    {
        var position = await Reader.CurrentPositionAsync(cancellationToken).ConfigureAwait(false);
        if (await SnapshotAsync(cancellationToken).ConfigureAwait(false) is not { } snapshot)
        {
            return position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var chain = OracleChainStatus.From(snapshot);
        var paused = string.Join(",", chain.Tokens.Where(t => t.Value.Paused).Select(t => t.Key.ToString()).Order(StringComparer.Ordinal));
        return $"{position}:{(chain.Paused ? "P" : "-")}:{paused}";
    }

    /// <summary>
    /// The log's token views judged as <c>freeFloatFactor</c> judges them (<see cref="OracleChainStatus.Apply"/>, the
    /// JSON API's rule) from the one cached snapshot, so a page costs at most one read of the oracle; unknown without a chain.
    /// </summary>
    public async Task<(OracleChainStatus? Chain, IReadOnlyList<TokenStatus> Tokens)> JudgeAsync(IReadOnlyList<TokenView> tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (await SnapshotAsync(cancellationToken).ConfigureAwait(false) is not { } snapshot)
        {
            return (null, [.. tokens.Select(OracleChainStatus.Unknown)]);
        }

        var chain = OracleChainStatus.From(snapshot);
        return (chain, [.. tokens.Select(chain.Apply)]);
    }

    /// <summary>The registry's newest proposals (at most <paramref name="limit"/>), newest first, with the delay and grace in force.</summary>
    internal async Task<RegistryState?> RegistryAsync(int limit, CancellationToken cancellationToken)
    {
        if (_registry is null)
        {
            return null;
        }

        return await ChainAsync("read the registry", async () =>
        {
            var count = await _registry.ProposalCountAsync(null, cancellationToken).ConfigureAwait(false);
            var delay = await _registry.DelayAsync(null, cancellationToken).ConfigureAwait(false);
            var grace = await _registry.GraceAsync(null, cancellationToken).ConfigureAwait(false);
            var proposals = new List<(BigInteger, ExcludedAddressRegistryContract.Proposal)>();
            // Proposal ids count from 1 (ExcludedAddressRegistry.propose); id 0 is never used.
            for (var id = count; id >= 1 && proposals.Count < limit; id--)
            {
                proposals.Add((id, await _registry.ProposalAsync(id, null, cancellationToken).ConfigureAwait(false)));
            }

            return new RegistryState(count, delay, grace, proposals);
        }).ConfigureAwait(false);
    }

    /// <summary>A token's excluded addresses (docs/protocol.md section 10) with their balances at <paramref name="block"/> (latest when null).</summary>
    internal async Task<IReadOnlyList<ExcludedBalance>?> ExcludedAsync(Address token, ulong? block, CancellationToken cancellationToken)
    {
        if (_registry is null || Client is null)
        {
            return null;
        }

        return await ChainAsync("read the excluded addresses", async () =>
        {
            var at = block is { } b ? BlockId.AtNumber(b) : BlockId.Latest;
            var excluded = await _registry.ExcludedOfAsync(token, at, cancellationToken).ConfigureAwait(false);
            var erc20 = new TestTokenContract(Client, token);
            var rows = new List<ExcludedBalance>();
            for (var i = 0; i < excluded.Accounts.Count; i++)
            {
                rows.Add(new ExcludedBalance(excluded.Accounts[i], KindName(excluded.Kinds[i]),
                    await erc20.BalanceOfAsync(excluded.Accounts[i], at, cancellationToken).ConfigureAwait(false)));
            }

            return (IReadOnlyList<ExcludedBalance>)rows;
        }).ConfigureAwait(false);
    }

    // A kind is its ASCII name left-aligned in a bytes32 (docs/protocol.md section 10, ExcludedAddressRegistry.isKnownKind).
    internal static string KindName(Hash32 kind)
    {
        var bytes = kind.ToArray();
        var length = Array.IndexOf(bytes, (byte)0);
        var text = System.Text.Encoding.ASCII.GetString(bytes, 0, length < 0 ? bytes.Length : length);
        return text.All(c => c is >= ' ' and <= '~') ? text : kind.ToString();
    }

    private static async Task<T> ChainAsync<T>(string operation, Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonRpcException or JsonRpcTransportException or OracleStateException or HttpRequestException)
        {
            throw new QueryUnavailableException(operation, e);
        }
    }
}

/// <summary>The registry's timelock settings and newest proposals.</summary>
internal sealed record RegistryState(BigInteger Count, ulong Delay, ulong Grace, IReadOnlyList<(BigInteger Id, ExcludedAddressRegistryContract.Proposal Proposal)> Proposals);

/// <summary>One excluded address of a token with its balance.</summary>
internal sealed record ExcludedBalance(Address Account, string Kind, BigInteger Balance);

/// <summary>What <see cref="DashboardSource.AttachReplica"/> was given.</summary>
internal sealed record ReplicaProbe(Func<string> Role, Func<int> ReporterStreams);
