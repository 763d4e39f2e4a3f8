namespace SupplyOracle.Aggregator.EventSourcing.Internal;

/// <summary>Log messages of the event store (event ids 500-599).</summary>
internal static partial class Log
{
    [LoggerMessage(500, LogLevel.Warning, "upgrade: dropped the previous release's query tables in schema {Schema}; the query projection {Projection} is being built from the first event (the query API answers from it as it catches up)")]
    public static partial void QueryTablesMigrated(ILogger logger, string schema, string projection);
}
