namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>A clock the test moves by hand (deadlines and grace periods without waiting).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
