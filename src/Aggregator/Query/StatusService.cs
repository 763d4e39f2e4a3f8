using Google.Protobuf;
using Grpc.Core;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// The <c>supplyoracle.v1.Status</c> service (proto/supplyoracle/v1/status.proto) over the query projection, a generated
/// <see cref="Protocol.V1.Status.StatusBase"/> mapped by <c>AggregatorWebHost</c>. Malformed addresses are INVALID_ARGUMENT, unknown
/// tokens NOT_FOUND (grpc doc/statuscodes.md); an unreachable database throws <see cref="QueryUnavailableException"/>,
/// which <c>ServerCallInterceptor</c> answers UNAVAILABLE (retryable).
/// </summary>
public sealed class StatusService : Protocol.V1.Status.StatusBase
{
    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);
    private readonly CancellationTokenSource _stopping = new();
    private readonly QueryReader _reader;
    private readonly OracleChainView? _chain;
    private readonly RoundAuditReader? _audit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;

    /// <summary>Creates the service; <c>Watch</c> looks for changes every <paramref name="pollInterval"/>.</summary>
    /// <param name="reader">The projection.</param>
    /// <param name="chain">The oracle at the chain head (ages, stale flags, pauses), or null when the aggregator has no chain.</param>
    /// <param name="audit">Round audits, or null when the aggregator has no deployment to name.</param>
    /// <param name="time">For polling only.</param>
    /// <param name="pollInterval">How often <c>Watch</c> looks for changes.</param>
    public StatusService(QueryReader reader, OracleChainView? chain, RoundAuditReader? audit, TimeProvider time, TimeSpan pollInterval)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        _reader = reader;
        _chain = chain;
        _audit = audit;
        _time = time;
        _pollInterval = pollInterval;
    }

    /// <summary>One token's state; NOT_FOUND when the log never mentioned it.</summary>
    public override async Task<TokenState> GetTokenState(GetTokenStateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var token = ParseAddress(request.Token, "token");
        var view = await _reader.GetTokenAsync(token, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"token {token} is not known to this aggregator"));
        var (_, judged) = await OracleChainView.JudgeAsync(_chain, [view], context.CancellationToken).ConfigureAwait(false);
        return StatusMessages.ToProto(judged[0]);
    }

    /// <summary>Every token's state, ascending.</summary>
    public override async Task<ListTokenStatesResponse> ListTokenStates(ListTokenStatesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = await _reader.ListTokensAsync(context.CancellationToken).ConfigureAwait(false);
        var (chain, judged) = await OracleChainView.JudgeAsync(_chain, tokens, context.CancellationToken).ConfigureAwait(false);
        var response = new ListTokenStatesResponse { OraclePaused = chain?.Paused ?? false, ChainTime = chain?.BlockTime ?? 0 };
        response.Tokens.AddRange(judged.Select(StatusMessages.ToProto));
        return response;
    }

    /// <summary>Rounds below <c>before_round</c> (0: from the latest), newest first; <c>limit</c> 0 means <see cref="QueryReader.DefaultRounds"/>, capped at <see cref="QueryReader.MaxRounds"/>.</summary>
    public override async Task<ListRoundsResponse> ListRounds(ListRoundsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var limit = request.Limit == 0 ? QueryReader.DefaultRounds : (int)Math.Min(request.Limit, QueryReader.MaxRounds);
        var rounds = await _reader.ListRoundsAsync(request.BeforeRound == 0 ? null : request.BeforeRound, limit, context.CancellationToken).ConfigureAwait(false);
        var response = new ListRoundsResponse();
        response.Rounds.AddRange(rounds.Select(StatusMessages.ToProto));
        return response;
    }

    /// <summary>Reporter participation, ascending.</summary>
    public override async Task<ListReportersResponse> ListReporters(ListReportersRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reporters = await _reader.ListReportersAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new ListReportersResponse();
        response.Reporters.AddRange(reporters.Select(StatusMessages.ToProto));
        return response;
    }

    /// <summary>
    /// Round phase changes and token commits or freezes from now on, until the client cancels: the projection's rows
    /// changed after the position seen last, polled every poll interval (the projection is the single source of truth).
    /// </summary>
    public override async Task Watch(WatchRequest request, IServerStreamWriter<StatusUpdate> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var filter = request.Tokens.Select((t, i) => ParseAddress(t, $"tokens[{i}]")).ToHashSet();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping.Token);
        var cancellationToken = stop.Token;
        var position = await _reader.CurrentPositionAsync(cancellationToken).ConfigureAwait(false);
        // Headers now, not with the first update (which may be long in coming): the client knows the watch is established
        // and that every change from here on will be streamed.
        await context.WriteResponseHeadersAsync(new Metadata()).ConfigureAwait(false);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var changes = await _reader.ChangesSinceAsync(position, cancellationToken).ConfigureAwait(false);
                var watched = changes.Tokens.Where(t => filter.Count == 0 || filter.Contains(t.Token)).ToList();
                IReadOnlyList<TokenStatus> judged = [];
                if (watched.Count > 0)
                {
                    // Ages, stale flags and pauses as the chain says them now (docs/protocol.md section 9).
                    (_, judged) = await OracleChainView.JudgeAsync(_chain, watched, cancellationToken).ConfigureAwait(false);
                }

                var updates = changes.Rounds.Select(r => new StatusUpdate { Round = StatusMessages.ToProto(r) })
                    .Concat(judged.Select(t => new StatusUpdate { Token = StatusMessages.ToProto(t) }))
                    .ToList();
                for (var i = 0; i < updates.Count; i++)
                {
                    // One flush per poll: every update but the last of the batch is buffered (grpc WriteFlags.BufferHint).
                    responseStream.WriteOptions = i < updates.Count - 1 ? s_buffered : null;
                    await responseStream.WriteAsync(updates[i], cancellationToken).ConfigureAwait(false);
                }

                position = changes.Position;
                try
                {
                    await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // the host is stopping: end the watch (OK)
        }
    }

    /// <summary>
    /// Ends every open <c>Watch</c> (OK: the client re-subscribes, here or at another replica). Called when the host
    /// starts stopping: an open stream would otherwise hold Kestrel's graceful shutdown for its whole timeout.
    /// </summary>
    public void CompleteStreams() => _stopping.Cancel();

    /// <summary>
    /// One round's audit trail (every accepted signed batch, the proposal, every attestation, the commit); NOT_FOUND
    /// when the log holds nothing of the round; UNIMPLEMENTED when the aggregator has no deployment to name.
    /// </summary>
    public override async Task<Protocol.V1.RoundAudit> GetRoundAudit(GetRoundAuditRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var audit = _audit ?? throw new RpcException(new Grpc.Core.Status(StatusCode.Unimplemented, "this aggregator serves no round audits (no deployment configured)"));
        var found = await audit.ReadAsync(request.Round, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"round {request.Round} is not known to this aggregator"));
        return StatusMessages.ToProto(found);
    }

    private static Address ParseAddress(ByteString bytes, string field) =>
        bytes.Length == Address.Size
            ? new Address(bytes.Span)
            : throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"{field} must be a 20-byte address; got {bytes.Length} bytes"));
}
