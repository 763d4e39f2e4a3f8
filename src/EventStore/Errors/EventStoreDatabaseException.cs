namespace SupplyOracle.EventStore.Errors;

/// <summary>
/// The database could not complete an operation. Transient (<see cref="IsTransient"/>): the connection broke, the server
/// shut down (<c>57P01</c>) or is starting, a serialization failure or deadlock; for an append the commit outcome is then
/// unknown, and retrying with the same event ids is safe (they are idempotency keys). Not transient: the server refused
/// the statement (<see cref="SqlState"/> says why, for example <c>22P02</c> for a body that PostgreSQL's jsonb rejects).
/// </summary>
public sealed class EventStoreDatabaseException : EventStoreException
{
    /// <summary>Creates the exception.</summary>
    public EventStoreDatabaseException(string operation, string? sqlState, bool isTransient, Exception innerException)
        : base($"Event store operation '{operation}' failed{(sqlState is null ? "" : $" (SQLSTATE {sqlState})")}: {innerException.Message}", innerException)
    {
        Operation = operation;
        SqlState = sqlState;
        IsTransient = isTransient;
    }

    /// <summary>The operation that failed (for example <c>append</c>).</summary>
    public string Operation { get; }

    /// <summary>The server's SQLSTATE, when the server answered.</summary>
    public string? SqlState { get; }

    /// <inheritdoc />
    public override bool IsTransient { get; }
}
