using System.Globalization;
using Npgsql;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Internal;

/// <summary>Turns Npgsql errors into the store's typed exceptions, by SQLSTATE and constraint name only (never text).</summary>
internal static class ErrorMapper
{
    /// <summary>Maps a failure of an append.</summary>
    public static EventStoreException Append(NpgsqlException e, StreamId stream, ExpectedVersion expected)
    {
        if (e is PostgresException pg)
        {
            switch (pg.SqlState)
            {
                case SqlStates.WrongExpectedVersion:
                    // HINT carries the locked stream version as a number (-1: no stream), a field rather than text.
                    long? actual = long.TryParse(pg.Hint, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : null;
                    return new WrongExpectedVersionException(stream, expected, actual, e);
                case SqlStates.PartialEventIdOverlap:
                    return new EventIdConflictException(stream, EventIdConflictReason.PartialOverlap, e);
                case SqlStates.DifferentAppend:
                    return new EventIdConflictException(stream, EventIdConflictReason.DifferentAppend, e);
                case SqlStates.UniqueViolation when pg.ConstraintName == SqlStates.StreamVersionConstraint:
                    return new WrongExpectedVersionException(stream, expected, null, e);
                case SqlStates.UniqueViolation when pg.ConstraintName == SqlStates.EventIdConstraint:
                    return new EventIdConflictException(stream, EventIdConflictReason.UsedConcurrently, e);
            }
        }

        return Unavailable("append", e);
    }

    /// <summary>Maps any other database failure; transient when Npgsql says so or the SQLSTATE is a known transient one.</summary>
    public static EventStoreDatabaseException Unavailable(string operation, NpgsqlException e)
    {
        var sqlState = (e as PostgresException)?.SqlState;
        var transient = e.IsTransient || (sqlState is not null && SqlStates.IsTransient(sqlState));
        return new EventStoreDatabaseException(operation, sqlState, transient, e);
    }
}
