using System.Threading.Channels;
using Grpc.Core;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// Forwards batches to one peer with <c>Gossip.Relay</c> (client streaming, gossip.proto): whatever is queued goes up in
/// one call; a failed call is retried with the connection's backoff. The peer's relay node id is learned from its
/// response headers so that batches are not sent back to the peer they came from.
/// </summary>
public sealed partial class PeerLink
{
    private readonly Protocol.V1.Gossip.GossipClient _client;
    private readonly string _nodeId;
    private readonly TimeSpan _minDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    /// <summary>Batches waiting for the peer; while it is down the oldest are dropped beyond this.</summary>
    internal const int QueueLimit = 4096;

    private readonly Channel<ObservationBatch> _queue =
        Channel.CreateBounded<ObservationBatch>(new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Creates the link over <paramref name="invoker"/> (a channel from <c>GrpcChannels</c>); <paramref name="nodeId"/> is this relay's id, sent in every call's headers.</summary>
    public PeerLink(string name, CallInvoker invoker, string nodeId, TimeSpan minDelay, TimeSpan maxDelay, TimeProvider? timeProvider = null, ILogger<PeerLink>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        Name = name;
        _client = new Protocol.V1.Gossip.GossipClient(invoker);
        _nodeId = nodeId;
        _minDelay = minDelay;
        _maxDelay = maxDelay;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The peer's URL, for logs.</summary>
    public string Name { get; }

    /// <summary>The peer's relay node id once a call has answered, else null.</summary>
    public string? PeerNodeId { get; private set; }

    /// <summary>Queues a batch for the peer (beyond <see cref="QueueLimit"/> waiting, the oldest is dropped).</summary>
    public void Enqueue(ObservationBatch batch) => _queue.Writer.TryWrite(batch ?? throw new ArgumentNullException(nameof(batch)));

    /// <summary>Sends queued batches until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var pending = new List<ObservationBatch>();
                while (_queue.Reader.TryRead(out var batch))
                {
                    pending.Add(batch);
                }
                while (true)
                {
                    try
                    {
                        await SendAsync(pending, cancellationToken).ConfigureAwait(false);
                        attempt = 0;
                        break;
                    }
                    catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException or InvalidOperationException
                                                   && !cancellationToken.IsCancellationRequested)
                    {
                        attempt++;
                        Log.RelayFailed(_logger, Name, pending.Count, attempt, ex);
                        await Task.Delay(AggregatorConnection.FullJitter(_minDelay, _maxDelay, attempt), _time, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task SendAsync(IReadOnlyList<ObservationBatch> batches, CancellationToken cancellationToken)
    {
        using var call = _client.Relay(new Metadata { { PeerRelay.NodeHeader, _nodeId } }, cancellationToken: cancellationToken);
        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        var summary = await call.ResponseAsync.ConfigureAwait(false);
        PeerNodeId = (await call.ResponseHeadersAsync.ConfigureAwait(false)).GetValue(PeerRelay.NodeHeader) ?? PeerNodeId;
        Log.Relayed(_logger, Name, summary.Accepted, summary.Duplicates, summary.Rejected);
    }

    private static partial class Log
    {
        [LoggerMessage(610, LogLevel.Warning, "Relay of {Count} batches to peer {Peer} failed (attempt {Attempt}); retrying")]
        public static partial void RelayFailed(ILogger logger, string peer, int count, int attempt, Exception exception);

        [LoggerMessage(611, LogLevel.Debug, "Peer {Peer} took {Accepted} batches ({Duplicates} duplicates, {Rejected} rejected)")]
        public static partial void Relayed(ILogger logger, string peer, uint accepted, uint duplicates, uint rejected);
    }
}
