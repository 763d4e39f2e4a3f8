using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// The relay's memory of batches already handled, keyed by (signer, EIP-712 digest) as <c>SignedBatch</c> prescribes
/// (two reporters with identical observations sign the same digest). Bounded: only rounds within
/// <c>keepRounds</c> of the newest pruned-to round are kept, and at most <see cref="PerSignerAndRound"/> distinct batches
/// of one signer in one round (the second is equivocation evidence aggregators need, docs/protocol.md section 5; more add
/// nothing and would let one key flood the mesh). Thread-safe.
/// </summary>
internal sealed class SeenBatches(ulong keepRounds)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<ulong, HashSet<(Address Signer, Hash32 Digest)>> _byRound = [];

    /// <summary>Distinct batches of one signer in one round that are relayed.</summary>
    public const int PerSignerAndRound = 2;

    /// <summary>Adds the key: <see cref="SeenResult.New"/>, or why it is not new.</summary>
    public SeenResult TryAdd(ulong round, Address signer, Hash32 digest)
    {
        lock (_lock)
        {
            if (!_byRound.TryGetValue(round, out var set))
            {
                _byRound[round] = set = [];
            }
            if (set.Contains((signer, digest)))
            {
                return SeenResult.Duplicate;
            }
            if (set.Count(k => k.Signer == signer) >= PerSignerAndRound)
            {
                return SeenResult.TooManyFromSigner;
            }
            set.Add((signer, digest));
            return SeenResult.New;
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

/// <summary>The verdict of <see cref="SeenBatches.TryAdd"/>.</summary>
internal enum SeenResult
{
    /// <summary>Not seen before: relay it.</summary>
    New,

    /// <summary>Same signer and digest seen before.</summary>
    Duplicate,

    /// <summary>The signer already has <see cref="SeenBatches.PerSignerAndRound"/> distinct batches in the round.</summary>
    TooManyFromSigner,
}
