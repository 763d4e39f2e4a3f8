namespace SupplyOracle.Protocol.State;

/// <summary>Why <see cref="OracleStateReader"/> could not read a snapshot.</summary>
public enum OracleStateError
{
    /// <summary>The node does not know the block.</summary>
    BlockNotFound,

    /// <summary>The block was reorganised away between the two round trips (retry).</summary>
    Reorganised,

    /// <summary>A call failed or returned data that does not decode (wrong address, not a SupplyOracle, node error).</summary>
    CallFailed,
}

/// <summary>Thrown by <see cref="OracleStateReader"/>; <see cref="Error"/> says why.</summary>
public sealed class OracleStateException(OracleStateError error, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Why.</summary>
    public OracleStateError Error { get; } = error;
}
