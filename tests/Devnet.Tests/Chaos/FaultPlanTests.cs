using SupplyOracle.Devnet.Chaos;

namespace SupplyOracle.Devnet.Tests.Chaos;

public sealed class FaultPlanTests
{
    private static readonly TimeSpan s_closeWindow = TimeSpan.FromSeconds(6);

    [Fact]
    public void Create_SameSeed_SameFaults()
    {
        var a = FaultPlan.Create(7, TimeSpan.FromMinutes(5), 5, s_closeWindow);
        var b = FaultPlan.Create(7, TimeSpan.FromMinutes(5), 5, s_closeWindow);
        var c = FaultPlan.Create(8, TimeSpan.FromMinutes(5), 5, s_closeWindow);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Create_ThreeMinutes_EveryKindOnce()
    {
        var plan = FaultPlan.Create(1, TimeSpan.FromMinutes(3), 5, s_closeWindow);

        Assert.Equal(FaultPlan.Kinds.Order(), plan.Select(f => f.Kind).Order());
    }

    [Fact]
    public void Create_TwentyMinutes_EveryKindAtLeastThreeTimesSpacedApart()
    {
        var plan = FaultPlan.Create(1, TimeSpan.FromMinutes(20), 5, s_closeWindow);

        Assert.All(FaultPlan.Kinds, k => Assert.True(plan.Count(f => f.Kind == k) >= 3, $"{k}: {plan.Count(f => f.Kind == k)}"));
        Assert.All(plan.Zip(plan.Skip(1)), p => Assert.True(p.Second.At - p.First.At >= TimeSpan.FromSeconds(20), $"{p.First} then {p.Second}"));
        Assert.All(plan, f => Assert.True(f.At + f.Duration < TimeSpan.FromMinutes(20), f.ToString()));
    }

    [Fact]
    public void Create_AnvilPauses_ShorterThanTheCloseWindow()
    {
        var plan = FaultPlan.Create(3, TimeSpan.FromMinutes(60), 5, s_closeWindow);

        Assert.All(plan.Where(f => f.Kind == FaultKind.AnvilPause), f => Assert.True(f.Duration < s_closeWindow, f.ToString()));
        Assert.All(plan.Where(f => f.Kind is FaultKind.ReporterKill or FaultKind.ReporterStop), f => Assert.InRange(f.Reporter, 0, 4));
    }

    [Fact]
    public void Create_TooShortForEveryKind_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultPlan.Create(1, TimeSpan.FromMinutes(2), 5, s_closeWindow));
}
