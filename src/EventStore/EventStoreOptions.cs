using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.EventStore.Projections;

namespace SupplyOracle.EventStore;

/// <summary>How an event store is set up.</summary>
public sealed record EventStoreOptions
{
    /// <summary>The PostgreSQL schema holding the store's tables (a plain lower-case identifier). Default <c>eventstore</c>.</summary>
    public string Schema { get; init; } = "eventstore";

    /// <summary>The clock that stamps events. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Projections applied in the same transaction as every append (their state is never behind the log).</summary>
    public IReadOnlyList<IProjection> InlineProjections { get; init; } = [];

    /// <summary>Where log messages go. Default: nowhere.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
