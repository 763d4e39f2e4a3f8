namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>A clock that reads a fixed time (ages and stale flags at a chosen instant).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
