using JasperFx;
using Marten.Exceptions;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>Classifies Marten's exceptions.</summary>
public static class EventConflicts
{
    /// <summary>True when <paramref name="e"/> is an optimistic-concurrency conflict on a stream (retry after re-reading).</summary>
    public static bool IsConflict(Exception e) => e is ConcurrencyException or ExistingStreamIdCollisionException;

    /// <summary>
    /// True when <paramref name="e"/> is a failure of the event log worth retrying later (connection lost, server restart,
    /// timeout, conflict): nothing, or a complete append, was written; the caller reports "unavailable" or retries.
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is MartenException or Npgsql.NpgsqlException or TimeoutException
        || (e is InvalidOperationException && e.InnerException is Npgsql.NpgsqlException);
}
