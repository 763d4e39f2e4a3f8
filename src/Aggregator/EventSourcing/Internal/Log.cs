namespace SupplyOracle.Aggregator.EventSourcing.Internal;

/// <summary>Log messages of the event store (event ids 500-599).</summary>
internal static partial class Log
{
    [LoggerMessage(500, LogLevel.Warning, "upgrade: dropped the previous release's query tables in schema {Schema}; the query projection {Projection} is being built from the first event (the query API answers from it as it catches up)")]
    public static partial void QueryTablesMigrated(ILogger logger, string schema, string projection);

    [LoggerMessage(501, LogLevel.Debug, "marten: schema change applied: {Sql}")]
    public static partial void SchemaChange(ILogger logger, string sql);

    [LoggerMessage(502, LogLevel.Debug, "marten: optimistic-concurrency conflict (expected; the writer retries or reads the decision that won): {Message}")]
    public static partial void CommandConflict(ILogger logger, string message);

    [LoggerMessage(503, LogLevel.Error, "marten: command failed: {Sql}")]
    public static partial void CommandFailed(ILogger logger, Exception exception, string sql);
}
