using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Tests.Internal;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3_600_000.0)]
    [InlineData("2M", 120_000.0)]
    [InlineData("3S", 3_000.0)]
    [InlineData("250m", 250.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2.0)]
    [InlineData("99999999m", 99_999_999.0)]
    public void TryParse_ValidUnits_ParsesDuration(string value, double expectedMs)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(expectedMs, timeout.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("123456789m")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    public void TryParse_InvalidValue_IsIgnored(string? value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Fact]
    public void TryParse_LargestHours_ParsesWithoutOverflow()
    {
        Assert.True(GrpcTimeout.TryParse("99999999H", out var timeout));
        Assert.Equal(TimeSpan.FromHours(99_999_999), timeout);
    }

    [Theory]
    [InlineData(0.0, "1n")]
    [InlineData(-5.0, "1n")]
    [InlineData(0.2, "1m")]
    [InlineData(1234.0, "1234m")]
    [InlineData(100_000_000.0, "100000S")]
    public void Format_Remaining_GrpcDotnetStyle(double ms, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void Format_ThenParse_NeverShortensTheTimeout()
    {
        Prop.ForAll<uint>(ms =>
        {
            var remaining = TimeSpan.FromMilliseconds(ms + 1);
            var header = GrpcTimeout.Format(remaining);
            return header.Length <= 9 && GrpcTimeout.TryParse(header, out var parsed) && parsed >= remaining;
        }).QuickCheckThrowOnFailure();
    }
}
