using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Tests.Streams;

public sealed class StreamIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" round-1")]
    [InlineData("round-1 ")]
    [InlineData("round\n1")]
    public void Constructor_InvalidName_ThrowsArgumentException(string name) =>
        Assert.Throws<ArgumentException>(() => new StreamId(name));

    [Fact]
    public void Constructor_TooLong_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => new StreamId(new string('a', StreamId.MaxLength + 1)));
        Assert.Contains("201", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_Default_ThrowsInvalidOperation() =>
        Assert.Throws<InvalidOperationException>(() => default(StreamId).Value);

    [Fact]
    public void Equality_SameName_Equal() => Assert.Equal(new StreamId("round-7"), new StreamId("round-7"));
}
