namespace SupplyOracle.Aggregator.Query.Internal;

/// <summary>Log messages of the query side (event ids 300-399).</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Query projection {Projection} running in schema {Schema}")]
    public static partial void Started(ILogger logger, string projection, string schema);

    [LoggerMessage(301, LogLevel.Error, "Query projection {Projection} stopped; the query API serves its last state and /readyz fails")]
    public static partial void ProjectionStopped(ILogger logger, string projection, Exception exception);
}
