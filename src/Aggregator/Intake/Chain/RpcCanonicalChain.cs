using System.Collections.Concurrent;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Aggregator.Intake.Chain;

/// <summary>
/// The canonical chain over JSON-RPC, with a short cache: every reporter of a round signs the same <c>B_r</c>, so one
/// <c>eth_getBlockByNumber</c> answers them all. A cached block is re-read after <c>cacheFor</c>, which bounds how long a
/// block reorganised away can still be taken for canonical (the contract's <c>blockhash(B_r)</c> check is the last word).
/// </summary>
public sealed class RpcCanonicalChain : ICanonicalChain
{
    private const int MaxCachedBlocks = 1024;
    private readonly EthereumRpcClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly ConcurrentDictionary<ulong, (CanonicalBlock? Block, long ReadAt)> _blocks = new();
    private HeadReading? _head;

    /// <summary>Creates the chain view.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cacheFor"/> is negative.</exception>
    public RpcCanonicalChain(EthereumRpcClient client, TimeProvider time, TimeSpan cacheFor)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheFor, TimeSpan.Zero);
        _client = client;
        _time = time;
        _cacheFor = cacheFor;
    }

    /// <inheritdoc />
    public async ValueTask<ulong> HeadAsync(CancellationToken cancellationToken)
    {
        // One immutable object per reading, so a concurrent reader never sees a head paired with another's time.
        if (Volatile.Read(ref _head) is { } cached && _time.GetElapsedTime(cached.ReadAt) < _cacheFor)
        {
            return cached.Head;
        }

        var head = await _client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _head, new HeadReading(head, _time.GetTimestamp()));
        return head;
    }

    /// <inheritdoc />
    public async ValueTask<CanonicalBlock?> GetBlockAsync(ulong number, CancellationToken cancellationToken)
    {
        if (_blocks.TryGetValue(number, out var cached) && _time.GetElapsedTime(cached.ReadAt) < _cacheFor)
        {
            return cached.Block;
        }

        var block = await _client.GetBlockAsync(BlockId.AtNumber(number), cancellationToken).ConfigureAwait(false);
        CanonicalBlock? result = block is null ? null : new CanonicalBlock(block.Number, block.Hash, block.Timestamp);
        if (_blocks.Count >= MaxCachedBlocks)
        {
            _blocks.Clear();
        }

        _blocks[number] = (result, _time.GetTimestamp());
        return result;
    }

    private sealed record HeadReading(ulong Head, long ReadAt);
}
