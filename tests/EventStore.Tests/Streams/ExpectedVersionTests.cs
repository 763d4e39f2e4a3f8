using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Tests.Streams;

public sealed class ExpectedVersionTests
{
    [Fact]
    public void IsMetBy_EachKind_FollowsKurrentDbSemantics()
    {
        Assert.True(ExpectedVersion.Any.IsMetBy(null));
        Assert.True(ExpectedVersion.Any.IsMetBy(7));
        Assert.True(ExpectedVersion.NoStream.IsMetBy(null));
        Assert.False(ExpectedVersion.NoStream.IsMetBy(0));
        Assert.False(ExpectedVersion.StreamExists.IsMetBy(null));
        Assert.True(ExpectedVersion.StreamExists.IsMetBy(0));
        Assert.True(ExpectedVersion.Exact(3).IsMetBy(3));
        Assert.False(ExpectedVersion.Exact(3).IsMetBy(2));
        Assert.False(ExpectedVersion.Exact(0).IsMetBy(null));
    }

    [Fact]
    public void Exact_NegativeVersion_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedVersion.Exact(-1));
        Assert.Equal("version", e.ParamName);
    }

    [Fact]
    public void Exact_AnyVersion_IsMetOnlyByThatVersion()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (expected, actual) => ExpectedVersion.Exact(expected).IsMetBy(actual) == (expected == actual)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Equality_SameKindAndVersion_AreEqual()
    {
        Assert.Equal(ExpectedVersion.Exact(5), ExpectedVersion.Exact(5));
        Assert.NotEqual(ExpectedVersion.Exact(0), ExpectedVersion.NoStream);
        Assert.Equal("Any", ExpectedVersion.Any.ToString());
        Assert.Equal("5", ExpectedVersion.Exact(5).ToString());
    }
}
