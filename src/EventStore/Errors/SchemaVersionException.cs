namespace SupplyOracle.EventStore.Errors;

/// <summary>The database holds a newer event-store schema than this code knows: refuse to run rather than guess.</summary>
public sealed class SchemaVersionException : EventStoreException
{
    /// <summary>Creates the exception.</summary>
    public SchemaVersionException(string schema, int databaseVersion, int codeVersion)
        : base($"Schema '{schema}' is at migration {databaseVersion}, newer than this code's {codeVersion}: upgrade the code.")
    {
        Schema = schema;
        DatabaseVersion = databaseVersion;
        CodeVersion = codeVersion;
    }

    /// <summary>The schema name.</summary>
    public string Schema { get; }

    /// <summary>The newest migration applied in the database.</summary>
    public int DatabaseVersion { get; }

    /// <summary>The newest migration this code knows.</summary>
    public int CodeVersion { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
