namespace SupplyOracle.EventStore.Streams;

/// <summary>Which way a stream is read.</summary>
public enum ReadDirection
{
    /// <summary>From older to newer versions.</summary>
    Forwards,

    /// <summary>From newer to older versions.</summary>
    Backwards,
}
