namespace SupplyOracle.Aggregator.Telemetry.Internal;

/// <summary>Telemetry log messages (event ids 500-599).</summary>
internal static partial class Log
{
    [LoggerMessage(500, LogLevel.Debug, "Chain gauges: read failed ({Problem}); the gauges keep the last values")]
    public static partial void GaugeReadFailed(ILogger logger, string problem);
}
