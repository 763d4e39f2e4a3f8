using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Supply.Internal;

/// <summary>Log messages of the supply read (event ids 100-119).</summary>
internal static partial class SupplyLog
{
    [LoggerMessage(100, LogLevel.Warning, "Round block {Block}: token {Token} skipped ({Reason}): {Detail}")]
    public static partial void TokenSkipped(ILogger logger, ulong block, Address token, SupplySkipReason reason, string detail);

    [LoggerMessage(101, LogLevel.Warning, "RPC endpoint {Endpoint} failed to read block {Block}")]
    public static partial void EndpointFailed(ILogger logger, string endpoint, ulong block, Exception exception);
}
