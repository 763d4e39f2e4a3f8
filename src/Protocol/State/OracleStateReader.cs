using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Internal;

namespace SupplyOracle.Protocol.State;

/// <summary>
/// Reads an <see cref="OracleSnapshot"/> at one block in exactly two JSON-RPC round trips (JSON-RPC 2.0 batches,
/// section 6): (1) the block header and <c>listedTokens()</c>; (2) pinned to the block hash with EIP-1898
/// (<c>requireCanonical: true</c>): <c>params()</c>, <c>reporters()</c>, <c>listedTokens()</c>, <c>lastRound()</c>,
/// <c>paused()</c> and <c>tokenStates(listed)</c>. Every figure in the snapshot comes from the second trip, so all
/// of it belongs to the one block; if the listing read in trip 1 is not the one in trip 2 (the block at that number
/// was replaced in between) the read fails with <see cref="OracleStateError.Reorganised"/>. Only when a call of trip 2
/// fails does a third request look up the block again, to tell a reorganisation from a failing call.
/// </summary>
public sealed class OracleStateReader
{
    private readonly EthereumRpcClient _client;
    private readonly SupplyOracleContract _oracle;
    private readonly TimeProvider _time;

    /// <summary>Creates a reader of one deployment's oracle.</summary>
    public OracleStateReader(EthereumRpcClient client, OracleDeployment deployment, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(deployment);
        _client = client;
        _time = timeProvider ?? TimeProvider.System;
        _oracle = new SupplyOracleContract(client, deployment.Oracle);
    }

    /// <summary>Reads the snapshot at block <paramref name="blockNumber"/> (e.g. a proposal's <c>state_block</c>).</summary>
    public Task<OracleSnapshot> ReadAsync(ulong blockNumber, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(BlockId.AtNumber(blockNumber), $"block {blockNumber}", cancellationToken);

    /// <summary>Reads the snapshot at the block with hash <paramref name="blockHash"/>.</summary>
    public Task<OracleSnapshot> ReadAsync(Hash32 blockHash, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(BlockId.AtHash(blockHash, requireCanonical: true), $"block {blockHash}", cancellationToken);

    private async Task<OracleSnapshot> ReadCoreAsync(BlockId at, string what, CancellationToken cancellationToken)
    {
        using var activity = ProtocolTelemetry.ActivitySource.StartActivity("OracleStateReader.Read");
        activity?.SetTag("block", what);
        var started = _time.GetTimestamp();
        try
        {
            var snapshot = await ReadSnapshotAsync(at, what, cancellationToken).ConfigureAwait(false);
            ProtocolTelemetry.StateRead(_time.GetElapsedTime(started).TotalSeconds, "ok");
            return snapshot;
        }
        catch (OracleStateException e)
        {
            ProtocolTelemetry.StateRead(_time.GetElapsedTime(started).TotalSeconds, e.Error.ToString());
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Error.ToString());
            throw;
        }
    }

    private async Task<OracleSnapshot> ReadSnapshotAsync(BlockId at, string what, CancellationToken cancellationToken)
    {
        // Round trip 1: the header (number, hash, time) and the listing, which sizes the tokenStates call.
        var listedCall = _oracle.ListedTokensCall();
        var (header, listedResult) = await GuardAsync(() => _client.GetBlockAndCallAsync(at, listedCall, cancellationToken), "the block header")
            .ConfigureAwait(false);
        if (header is null)
        {
            throw new OracleStateException(OracleStateError.BlockNotFound, $"the node does not know {what}");
        }

        var (number, hash, time) = (header.Number, header.Hash, header.Timestamp);
        var listed = Guard(() => SupplyOracleContract.DecodeListedTokens(listedResult.GetOrThrow()), "listedTokens()");

        // Round trip 2: everything else at exactly that block (EIP-1898: by hash, canonical).
        var pinned = BlockId.AtHash(hash, requireCanonical: true);
        IReadOnlyList<CallResult> second;
        try
        {
            second = await _client.CallBatchAsync(
                [_oracle.ParamsCall(), _oracle.ReportersCall(), _oracle.ListedTokensCall(), _oracle.LastRoundCall(), _oracle.PausedCall(), _oracle.TokenStatesCall(listed)],
                pinned, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException e)
        {
            throw new OracleStateException(OracleStateError.Reorganised, $"reading at {hash} (block {number}) failed: {e.Message}", e);
        }

        if (second.Any(r => !r.Succeeded) && await ReplacedAsync(number, hash, cancellationToken).ConfigureAwait(false))
        {
            // Only on the error path: one more trip tells a reorganisation (EIP-1898 requireCanonical) from a bad call.
            throw new OracleStateException(OracleStateError.Reorganised, $"block {number} ({hash}) was reorganised away during the read");
        }

        var parameters = Guard(() => SupplyOracleContract.DecodeParams(second[0].GetOrThrow()), "params()");
        var reporters = Guard(() => SupplyOracleContract.DecodeReporters(second[1].GetOrThrow()), "reporters()");
        var listedAgain = Guard(() => SupplyOracleContract.DecodeListedTokens(second[2].GetOrThrow()), "listedTokens()");
        var lastRound = Guard(() => SupplyOracleContract.DecodeLastRound(second[3].GetOrThrow()), "lastRound()");
        var paused = Guard(() => SupplyOracleContract.DecodePaused(second[4].GetOrThrow()), "paused()");
        var views = Guard(() => SupplyOracleContract.DecodeTokenStates(second[5].GetOrThrow()), "tokenStates()");
        if (!listed.SequenceEqual(listedAgain) || views.Count != listed.Count)
        {
            throw new OracleStateException(OracleStateError.Reorganised, $"the token listing at {what} changed between the two reads (block {number} was replaced)");
        }

        return Guard(
            () => new OracleSnapshot(number, hash, time, parameters, reporters, [.. listed.Select((t, i) => new ListedToken(t, views[i]))], lastRound, paused),
            "the oracle state");
    }

    private async Task<bool> ReplacedAsync(ulong number, Hash32 hash, CancellationToken cancellationToken)
    {
        var now = await _client.GetBlockAsync(BlockId.AtNumber(number), cancellationToken).ConfigureAwait(false);
        return now is null || now.Hash != hash;
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> read, string what)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (JsonRpcException e)
        {
            throw new OracleStateException(OracleStateError.CallFailed, $"reading {what} failed: {e.Message}", e);
        }
    }

    private static T Guard<T>(Func<T> read, string what)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonRpcException or FormatException or InvalidOperationException or ArgumentException
            or KeyNotFoundException or OverflowException or Rules.RulesInputException or Contracts.Bindings.Bindings.AbiException)
        {
            throw new OracleStateException(OracleStateError.CallFailed, $"reading {what} failed: {e.Message}", e);
        }
    }
}
