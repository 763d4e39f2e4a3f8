namespace SupplyOracle.EventStore.Errors;

/// <summary>
/// The database could not complete an operation: the connection broke, the server shut down (<c>57P01</c>) or is
/// starting, a serialization failure or deadlock. <see cref="IsTransient"/> tells whether a retry may succeed. For an
/// append the commit outcome may be unknown; retrying with the same event ids is safe (they are idempotency keys).
/// </summary>
public sealed class EventStoreUnavailableException : EventStoreException
{
    /// <summary>Creates the exception.</summary>
    public EventStoreUnavailableException(string operation, string? sqlState, bool isTransient, Exception innerException)
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
