using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SupplyOracle.EventStore.Subscriptions;

/// <summary>How a <see cref="CatchUpSubscription"/> runs.</summary>
public sealed record SubscriptionOptions
{
    /// <summary>The event store's schema. Default <c>eventstore</c>.</summary>
    public string Schema { get; init; } = "eventstore";

    /// <summary>Events applied per transaction (1 to 100,000). Default 1,000.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>How long to wait for a NOTIFY before polling anyway (NOTIFY only wakes; polling is the truth). Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause after a transient failure before trying again. Default 250 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The clock for waits. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where log messages go. Default: nowhere.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal void Validate()
    {
        if (BatchSize is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "SubscriptionOptions.BatchSize must be 1 to 100,000.");
        }

        if (PollInterval <= TimeSpan.Zero || RetryDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), "SubscriptionOptions.PollInterval and RetryDelay must be positive.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
    }
}
