namespace SupplyOracle.EventStore.Errors;

/// <summary>Base of every error the event store raises; callers branch on the type and its fields, never on text.</summary>
public abstract class EventStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected EventStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the same call may succeed if retried (a lost connection, a server restart, a serialization failure).</summary>
    public abstract bool IsTransient { get; }
}
