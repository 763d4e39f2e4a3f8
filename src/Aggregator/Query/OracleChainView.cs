using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// The oracle as the latest block holds it: what the API needs to say <c>stale</c>, ages and pauses the way the
/// contract's <c>freeFloatFactor</c> says them (docs/protocol.md section 9): chain time (the block's timestamp, never this
/// process's clock, which can be hours from the chain's), the on-chain <c>reportStaleAfter</c> (section 8), the global
/// pause and each listed token's flags.
/// </summary>
/// <param name="Block">The block read.</param>
/// <param name="BlockTime">Its timestamp: the contract's <c>block.timestamp</c>.</param>
/// <param name="ReportStaleAfter">The oracle's <c>reportStaleAfter</c> at that block, seconds.</param>
/// <param name="Paused">The oracle is globally paused.</param>
/// <param name="Tokens">Each listed token's on-chain view.</param>
public sealed record OracleChainStatus(ulong Block, ulong BlockTime, ulong ReportStaleAfter, bool Paused,
    IReadOnlyDictionary<Address, SupplyOracleContract.TokenView> Tokens)
{
    /// <summary>From an oracle snapshot read at one block.</summary>
    public static OracleChainStatus From(OracleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(snapshot.BlockNumber, snapshot.BlockTime, snapshot.ContractParameters.ReportStaleAfter, snapshot.Paused,
            snapshot.Tokens.ToDictionary(t => t.Token, t => t.View));
    }

    /// <summary>
    /// The log's view of a token with the chain's judgement: <c>frozen</c> and <c>stale</c> exactly as
    /// <c>freeFloatFactor</c> computes them at this block (frozen: the frozen flag, a token pause or the global pause;
    /// stale: never committed, or <c>block.timestamp &gt; committedAt + reportStaleAfter</c>), the age from the same
    /// <c>committedAt</c> and block time. A token the oracle no longer lists keeps the log's figures: not stale-checked
    /// by the contract, it is reported stale once older than <c>reportStaleAfter</c> too.
    /// </summary>
    public TokenStatus Apply(TokenView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        Tokens.TryGetValue(view.Token, out var chain);
        var tokenPaused = chain?.Paused ?? false;
        var frozen = (chain?.Frozen ?? view.Frozen) || tokenPaused || Paused;
        ulong? committedAt = chain is { Initialized: true } ? chain.CommittedAt : view.CommittedAt;
        long? age = committedAt is { } at ? (long)BlockTime - (long)at : null;
        var stale = committedAt is not { } c || BlockTime > c + ReportStaleAfter;
        return new TokenStatus(view.Token, view.Factor, view.Circulating, view.CommittedAt, age, frozen, tokenPaused || Paused, stale, view.Round,
            view.LastStatus, view.LastOutcome, view.LastOutcomeRound);
    }

    /// <summary>The log's view alone, when the aggregator has no chain to ask: the chain's judgements are unknown (null).</summary>
    public static TokenStatus Unknown(TokenView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new TokenStatus(view.Token, view.Factor, view.Circulating, view.CommittedAt, null, view.Frozen, null, null, view.Round, view.LastStatus,
            view.LastOutcome, view.LastOutcomeRound);
    }
}

/// <summary>
/// Reads <see cref="OracleChainStatus"/> at the chain head (one <see cref="OracleStateReader"/> snapshot, so every
/// figure belongs to one block) and reuses it for <c>refresh</c>, so a burst of API calls costs one read.
/// Thread-safe. A failing read throws <see cref="QueryUnavailableException"/> (HTTP 503, gRPC UNAVAILABLE).
/// </summary>
public sealed class OracleChainView : IDisposable
{
    private readonly EthereumRpcClient _client;
    private readonly OracleStateReader _reader;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private OracleChainStatus? _last;
    private long _readAt;

    /// <summary>Creates the view.</summary>
    /// <param name="client">The node (for the head).</param>
    /// <param name="reader">The oracle's state reader.</param>
    /// <param name="time">For the reuse interval only (ages come from the chain).</param>
    /// <param name="refresh">How long a read is reused.</param>
    public OracleChainView(EthereumRpcClient client, OracleStateReader reader, TimeProvider time, TimeSpan refresh)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(refresh, TimeSpan.Zero);
        _client = client;
        _reader = reader;
        _time = time;
        _refresh = refresh;
    }

    /// <summary>The oracle at the head (at most <c>refresh</c> old).</summary>
    /// <exception cref="QueryUnavailableException">The node could not be read.</exception>
    public async Task<OracleChainStatus> GetAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && _time.GetElapsedTime(_readAt) <= _refresh)
            {
                return last;
            }

            try
            {
                var head = await _client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
                _last = OracleChainStatus.From(await _reader.ReadAsync(head, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is JsonRpcException or JsonRpcTransportException or OracleStateException or HttpRequestException)
            {
                throw new QueryUnavailableException("read the oracle at the chain head", e);
            }

            _readAt = _time.GetTimestamp();
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The log's token views with the chain's judgements from <paramref name="view"/> (read once for all of them), or
    /// with the judgements unknown when there is no chain view.
    /// </summary>
    public static async Task<(OracleChainStatus? Chain, IReadOnlyList<TokenStatus> Tokens)> JudgeAsync(OracleChainView? view,
        IReadOnlyList<TokenView> tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (view is null)
        {
            return (null, [.. tokens.Select(OracleChainStatus.Unknown)]);
        }

        var chain = await view.GetAsync(cancellationToken).ConfigureAwait(false);
        return (chain, [.. tokens.Select(chain.Apply)]);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
