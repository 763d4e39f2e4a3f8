using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// The relay's memory of batches already handled, keyed by (signer, EIP-712 digest) as <c>SignedBatch</c> prescribes
/// (two reporters with identical observations sign the same digest). Bounded: only rounds within
/// <c>keepRounds</c> of the newest pruned-to round are kept. Thread-safe.
/// </summary>
internal sealed class SeenBatches(ulong keepRounds)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<ulong, HashSet<(Address Signer, Hash32 Digest)>> _byRound = [];

    /// <summary>Adds the key; false when it was already there.</summary>
    public bool TryAdd(ulong round, Address signer, Hash32 digest)
    {
        lock (_lock)
        {
            if (!_byRound.TryGetValue(round, out var set))
            {
                _byRound[round] = set = [];
            }
            return set.Add((signer, digest));
        }
    }

    /// <summary>Forgets every round older than <c>currentRound - keepRounds</c>.</summary>
    public void Prune(ulong currentRound)
    {
        var oldest = currentRound > keepRounds ? currentRound - keepRounds : 0;
        lock (_lock)
        {
            foreach (var round in _byRound.Keys.TakeWhile(r => r < oldest).ToArray())
            {
                _byRound.Remove(round);
            }
        }
    }

    /// <summary>How many keys are kept (all rounds).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byRound.Values.Sum(s => s.Count);
            }
        }
    }
}
