namespace SupplyOracle.EventStore.Streams;

/// <summary>The outcome of an append.</summary>
/// <param name="StreamVersion">The version of the stream's last event after the append.</param>
/// <param name="FirstPosition">The global position of the first appended event.</param>
/// <param name="LastPosition">The global position of the last appended event.</param>
/// <param name="AlreadyAppended">True when every event id had already been appended by an earlier call with the same
/// ids: nothing was written and the original result is returned (a safe retry after an unknown commit outcome).</param>
public readonly record struct AppendResult(long StreamVersion, long FirstPosition, long LastPosition, bool AlreadyAppended);
