namespace SupplyOracle.Reporter.Health;

/// <summary>
/// What <c>/health/ready</c> reports: the last round observed, signed and attested, and whether the node is ready
/// (started, chain reachable). Thread-safe; values only move forward.
/// </summary>
public sealed class ReporterStatus
{
    private long _observed = -1;
    private long _signed = -1;
    private long _attested = -1;
    private int _ready;

    /// <summary>The last round whose supply was read, or null.</summary>
    public ulong? LastObserved => Get(ref _observed);

    /// <summary>The last round whose batch was signed and journaled, or null.</summary>
    public ulong? LastSigned => Get(ref _signed);

    /// <summary>The last round whose report was attested, or null.</summary>
    public ulong? LastAttested => Get(ref _attested);

    /// <summary>True once the node has read the chain successfully.</summary>
    public bool Ready => Volatile.Read(ref _ready) == 1;

    /// <summary>Marks the node ready or not.</summary>
    public void SetReady(bool ready) => Volatile.Write(ref _ready, ready ? 1 : 0);

    /// <summary>Records a round observed.</summary>
    public void Observed(ulong round) => Raise(ref _observed, round);

    /// <summary>Records a round signed.</summary>
    public void Signed(ulong round) => Raise(ref _signed, round);

    /// <summary>Records a round attested.</summary>
    public void Attested(ulong round) => Raise(ref _attested, round);

    private static ulong? Get(ref long field)
    {
        var v = Volatile.Read(ref field);
        return v < 0 ? null : (ulong)v;
    }

    private static void Raise(ref long field, ulong round)
    {
        var value = checked((long)round);
        long current;
        do
        {
            current = Volatile.Read(ref field);
            if (current >= value)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref field, value, current) != current);
    }
}
