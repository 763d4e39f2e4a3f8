using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Intake.Internal;

/// <summary>Intake log messages (event ids 100-199).</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Debug, "Accepted batch {Digest} of {Reporter} for round {Round} ({Tokens} tokens)")]
    public static partial void Accepted(ILogger logger, string digest, string reporter, ulong round, int tokens);

    [LoggerMessage(101, LogLevel.Information, "Rejected batch for round {Round} from {Peer}: {Reason}: {Detail}")]
    public static partial void Rejected(ILogger logger, ulong round, string peer, RejectReason reason, string detail);

    [LoggerMessage(102, LogLevel.Warning, "Reporter {Reporter} equivocated in round {Round}: {First} and {Second}")]
    public static partial void Equivocated(ILogger logger, string reporter, ulong round, string first, string second);

    [LoggerMessage(103, LogLevel.Debug, "Ignored a {Kind} message from {Peer}")]
    public static partial void IgnoredMessage(ILogger logger, string peer, string kind);

    [LoggerMessage(104, LogLevel.Warning, "The event log is unavailable; batch for round {Round} answered UNAVAILABLE")]
    public static partial void LogUnavailable(ILogger logger, ulong round, Exception exception);
}
