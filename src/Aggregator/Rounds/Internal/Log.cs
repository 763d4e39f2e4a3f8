namespace SupplyOracle.Aggregator.Rounds.Internal;

/// <summary>Round loop log messages (event ids 300-399).</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Round {Round}: opened (B_r = {ReferenceBlock}, closes by {CloseBy:o} at the latest)")]
    public static partial void Opened(ILogger logger, ulong round, ulong referenceBlock, DateTimeOffset closeBy);

    [LoggerMessage(301, LogLevel.Information, "Round {Round}: proposed {ProposalId} (report {Digest}) to {Streams} streams")]
    public static partial void Proposed(ILogger logger, ulong round, string proposalId, string digest, int streams);

    [LoggerMessage(302, LogLevel.Warning, "Round {Round}: abandoned: {Reason}")]
    public static partial void Abandoned(ILogger logger, ulong round, string reason);

    [LoggerMessage(303, LogLevel.Information, "Round {Round}: {Attestations} attestations, transmitting")]
    public static partial void Transmitting(ILogger logger, ulong round, int attestations);

    [LoggerMessage(304, LogLevel.Information, "Round {Round}: transmission {Outcome}")]
    public static partial void Transmitted(ILogger logger, ulong round, string outcome);

    [LoggerMessage(305, LogLevel.Warning, "Round loop step failed; retrying at the next poll")]
    public static partial void StepFailed(ILogger logger, Exception exception);

    [LoggerMessage(306, LogLevel.Information, "Round loop resumed {Rounds} rounds from the log (oldest {Oldest})")]
    public static partial void Resumed(ILogger logger, int rounds, ulong oldest);

    [LoggerMessage(307, LogLevel.Debug, "Round {Round}: another writer appended meanwhile; retrying")]
    public static partial void Conflict(ILogger logger, ulong round);

    [LoggerMessage(308, LogLevel.Critical, "TEST HOOK Aggregator:Testing:CrashAfter: dying after {EventType} was appended to {Stream}")]
    public static partial void Crashing(ILogger logger, string eventType, string stream);
}
