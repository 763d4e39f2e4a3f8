using Microsoft.Extensions.Logging;

namespace SupplyOracle.EventStore.Internal;

/// <summary>The event store's log messages, with fixed event ids (STYLE.md: [LoggerMessage] in one class per area).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Event store schema {Schema}: applied migration {Version} ({Description})")]
    public static partial void MigrationApplied(ILogger logger, string schema, int version, string description);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Append refused: {Reason}")]
    public static partial void AppendRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Subscription {Name}: transient failure, retrying in {Delay}")]
    public static partial void SubscriptionTransientFailure(ILogger logger, string name, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Subscription {Name}: LISTEN connection lost; polling until it is back")]
    public static partial void ListenerLost(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Subscription {Name}: caught up at position {Position}")]
    public static partial void CaughtUp(ILogger logger, string name, long position);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Projection {Name} rebuilt to position {Position}: {Events} events, state {Outcome}")]
    public static partial void Rebuilt(ILogger logger, string name, long position, long events, string outcome);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Leader election {Name}: leadership acquired (backend {Pid})")]
    public static partial void LeadershipAcquired(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Leader election {Name}: leadership lost")]
    public static partial void LeadershipLost(ILogger logger, string name, Exception? exception);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Leader election {Name}: could not try for the lock, retrying")]
    public static partial void LeadershipAttemptFailed(ILogger logger, string name, Exception exception);
}
