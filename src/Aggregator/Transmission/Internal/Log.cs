namespace SupplyOracle.Aggregator.Transmission.Internal;

/// <summary>The transmitter's log messages (event ids 300-399).</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Round {Round}: commit {Hash} (nonce {Nonce}) intended and broadcast")]
    public static partial void Broadcast(ILogger logger, ulong round, string hash, ulong nonce);

    [LoggerMessage(301, LogLevel.Information, "Round {Round}: resuming the recorded transmission {Hash} (nonce {Nonce}, {Versions} versions)")]
    public static partial void Resuming(ILogger logger, ulong round, string hash, ulong nonce, int versions);

    [LoggerMessage(302, LogLevel.Information, "Round {Round}: confirmed by {Hash} in block {Block}")]
    public static partial void Confirmed(ILogger logger, ulong round, string hash, ulong block);

    [LoggerMessage(303, LogLevel.Information, "Round {Round}: superseded on chain (lastRound {LastRound})")]
    public static partial void Superseded(ILogger logger, ulong round, ulong lastRound);

    [LoggerMessage(304, LogLevel.Error, "Round {Round}: transmission failed at {Stage}: {Detail}")]
    public static partial void Failed(ILogger logger, ulong round, TransmissionFailureStage stage, string detail);

    [LoggerMessage(305, LogLevel.Warning, "Round {Round}: commit {Hash} reorganised away from block {Block}: broadcasting it again")]
    public static partial void Reorganised(ILogger logger, ulong round, string hash, ulong block);

    [LoggerMessage(306, LogLevel.Warning, "Round {Round}: commit {OldHash} stuck, replacing it with {NewHash} (same nonce {Nonce})")]
    public static partial void Replacing(ILogger logger, ulong round, string oldHash, string newHash, ulong nonce);

    [LoggerMessage(307, LogLevel.Warning, "Sender {Sender} balance {Balance} wei is below the alarm threshold {Threshold} wei")]
    public static partial void BalanceLow(ILogger logger, string sender, string balance, string threshold);

    [LoggerMessage(308, LogLevel.Information, "Sender {Sender} balance {Balance} wei is back above the alarm threshold {Threshold} wei")]
    public static partial void BalanceRestored(ILogger logger, string sender, string balance, string threshold);
}
