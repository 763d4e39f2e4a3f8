namespace SupplyOracle.Aggregator.Query.Internal;

/// <summary>Log messages of the query side (event ids 300-399).</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Query projection {Projection} (Marten async daemon) serving from schema {Schema}")]
    public static partial void Started(ILogger logger, string projection, string schema);
}
