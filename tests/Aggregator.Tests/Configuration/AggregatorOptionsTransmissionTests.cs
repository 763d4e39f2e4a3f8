using Microsoft.Extensions.Configuration;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Tests.Configuration;

/// <summary>The transmission block of <see cref="AggregatorOptions"/>, bound from configuration as the run command binds it.</summary>
public sealed class AggregatorOptionsTransmissionTests
{
    [Fact]
    public void ValidateTransmission_Defaults_DeriveTheThresholdFromTheCeiling()
    {
        var validated = Bind([]).ValidateTransmission();

        Assert.Equal(Wei.FromGwei(500), validated.Sender.MaxFeePerGasCeiling);
        Assert.Equal(2UL, validated.Sender.ConfirmationDepth);
        Assert.Equal(TimeSpan.FromSeconds(60), validated.Sender.StuckAfter);
        Assert.Equal(15, validated.Sender.ReplacementBumpPercent);
        Assert.Null(validated.LowBalance.Threshold);
        Assert.Equal(10, validated.LowBalance.Commits);
        Assert.Equal(Wei.FromGwei(500), validated.LowBalance.FeeCeiling);
        Assert.Equal(TimeSpan.FromSeconds(1), validated.ChainLogPoll);
    }

    [Fact]
    public void ValidateTransmission_SettingsGiven_UsesThem()
    {
        var validated = Bind(new()
        {
            ["Aggregator:MaxFeePerGasGwei"] = "80.5",
            ["Aggregator:ConfirmationDepth"] = "6",
            ["Aggregator:StuckAfterSeconds"] = "30",
            ["Aggregator:ReplacementBumpPercent"] = "12",
            ["Aggregator:LowBalanceWei"] = "250000000000000000",
            ["Aggregator:ChainLogPollSeconds"] = "0.5",
        }).ValidateTransmission();

        Assert.Equal(Wei.FromGwei(80.5m), validated.Sender.MaxFeePerGasCeiling);
        Assert.Equal(6UL, validated.Sender.ConfirmationDepth);
        Assert.Equal(TimeSpan.FromSeconds(30), validated.Sender.StuckAfter);
        Assert.Equal(12, validated.Sender.ReplacementBumpPercent);
        Assert.Equal(Wei.FromEther(0.25m), validated.LowBalance.Threshold);
        Assert.Equal(TimeSpan.FromMilliseconds(500), validated.ChainLogPoll);
    }

    [Theory]
    [InlineData("Aggregator:MaxFeePerGasGwei", "0")]
    [InlineData("Aggregator:ConfirmationDepth", "0")]
    [InlineData("Aggregator:StuckAfterSeconds", "-1")]
    [InlineData("Aggregator:ReplacementBumpPercent", "9")]
    [InlineData("Aggregator:LowBalanceWei", "0")]
    [InlineData("Aggregator:LowBalanceWei", "1e18")]
    [InlineData("Aggregator:LowBalanceWei", "-5")]
    [InlineData("Aggregator:LowBalanceCommits", "0")]
    [InlineData("Aggregator:ChainLogPollSeconds", "-0.1")]
    public void ValidateTransmission_BadSetting_NamesIt(string key, string value)
    {
        var ex = Assert.Throws<AggregatorConfigurationException>(() => Bind(new() { [key] = value }).ValidateTransmission());
        Assert.Equal(key, ex.Setting);
    }

    private static AggregatorOptions Bind(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(AggregatorOptions.Section).Get<AggregatorOptions>() ?? new AggregatorOptions();
}
