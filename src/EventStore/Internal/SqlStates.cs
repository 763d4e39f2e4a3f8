namespace SupplyOracle.EventStore.Internal;

/// <summary>
/// SQLSTATEs raised by our own SQL with <c>RAISE … USING ERRCODE</c> (PostgreSQL docs, "PL/pgSQL Errors and Messages":
/// any five-character code) and the standard ones we branch on (PostgreSQL docs, Appendix A). Class <c>SO</c> is not
/// used by PostgreSQL. Callers branch on these codes, never on message text (REFERENCES.md, event store rule 1).
/// </summary>
internal static class SqlStates
{
    /// <summary>The stream does not meet the expected version; HINT carries the actual version (-1: no stream).</summary>
    public const string WrongExpectedVersion = "SOE01";

    /// <summary>Some, not all, of an append's event ids exist already.</summary>
    public const string PartialEventIdOverlap = "SOE02";

    /// <summary>All of an append's event ids exist, but not as one run of this stream in this order.</summary>
    public const string DifferentAppend = "SOE03";

    /// <summary>unique_violation.</summary>
    public const string UniqueViolation = "23505";

    /// <summary>The unique key on (stream_id, version): a second writer got the same version (mapped to a conflict).</summary>
    public const string StreamVersionConstraint = "events_stream_version_key";

    /// <summary>The unique key on event_id.</summary>
    public const string EventIdConstraint = "events_event_id_key";

    /// <summary>Codes a retry may cure, besides what Npgsql itself calls transient.</summary>
    public static bool IsTransient(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || sqlState is "40001" or "40P01" // serialization failure, deadlock
        or "53300" or "53400" // too many connections, configuration limit exceeded
        or "57P01" or "57P02" or "57P03" // admin shutdown, crash shutdown, cannot connect now
        or "55P03" or "58000" or "58030"; // lock not available, system error, io error
}
