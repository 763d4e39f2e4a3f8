namespace SupplyOracle.EventStore.Errors;

/// <summary>An event type name or CLR type has no mapping in the <see cref="Serialization.EventTypeMap"/>.</summary>
public sealed class UnknownEventTypeException : EventStoreException
{
    /// <summary>Creates the exception.</summary>
    public UnknownEventTypeException(string typeDescription)
        : base($"No event type mapping for {typeDescription}: register it in the EventTypeMap with a stable name.")
    {
        TypeDescription = typeDescription;
    }

    /// <summary>The stable name or CLR type that has no mapping.</summary>
    public string TypeDescription { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
