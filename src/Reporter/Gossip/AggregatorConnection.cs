using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Reporter.Attestation;
using SupplyOracle.Reporter.Journal;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// One long-lived <c>Gossip.Connect</c> stream to one aggregator (docs/protocol.md section 4, gossip.proto): signed batches go
/// up and are resent after every reconnect until acknowledged; proposals come down and are answered by the
/// <see cref="ProposalAttester"/>. A broken stream is re-opened with exponential backoff and full jitter between
/// <c>minDelay</c> and <c>maxDelay</c> (timed by the injected <see cref="TimeProvider"/>); the backoff starts over after
/// a stream that was healthy (the aggregator answered on it), however that stream ended.
/// </summary>
public sealed partial class AggregatorConnection
{
    private readonly Protocol.V1.Gossip.GossipClient _client;
    private readonly ProposalAttester _attester;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minDelay;
    private readonly TimeSpan _maxDelay;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Hash32, JournalEntry> _unacknowledged = new();
    private readonly ConcurrentDictionary<Hash32, DateTimeOffset> _queuedAt = new();
    private volatile bool _connected;
    private volatile BatchAcknowledgement? _lastAcknowledgement;
    private readonly Channel<JournalEntry> _fresh = Channel.CreateUnbounded<JournalEntry>();

    /// <summary>Creates the connection (not yet started) over <paramref name="invoker"/> (a channel from <c>GrpcChannels</c>).</summary>
    public AggregatorConnection(string name, CallInvoker invoker, ProposalAttester attester, TimeSpan minDelay, TimeSpan maxDelay,
        TimeProvider? timeProvider = null, ILogger<AggregatorConnection>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        Name = name;
        _client = new Protocol.V1.Gossip.GossipClient(invoker);
        _attester = attester;
        _minDelay = minDelay;
        _maxDelay = maxDelay;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The aggregator's name (its URL) for logs.</summary>
    public string Name { get; }

    /// <summary>Batches sent or queued but not yet acknowledged.</summary>
    public int Unacknowledged => _unacknowledged.Count;

    /// <summary>Queues a journaled batch; it is sent now if connected, else after the next connect, until acknowledged.</summary>
    public void Enqueue(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_unacknowledged.TryAdd(entry.Digest, entry))
        {
            _queuedAt[entry.Digest] = _time.GetUtcNow();
            _fresh.Writer.TryWrite(entry);
        }
    }

    /// <summary>
    /// The connection as <c>/health/ready</c> reports it (issue 19 item 3): whether a Connect stream is up (the aggregator
    /// sent its response headers or a message on it), the last acknowledgement of one of our batches, and since when the
    /// oldest batch still waits for one.
    /// </summary>
    public AggregatorConnectionState State()
    {
        var pending = _queuedAt.Values.ToArray();
        return new AggregatorConnectionState(Name, _connected, _lastAcknowledgement, _unacknowledged.Count, pending.Length == 0 ? null : pending.Min());
    }

    /// <summary>Keeps the stream open until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var stream = new StreamProgress();
            try
            {
                await RunStreamAsync(stream, cancellationToken).ConfigureAwait(false);
                attempt = stream.Healthy ? 0 : attempt + 1;
                Log.StreamEnded(_logger, Name);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException or IOException or HttpRequestException)
            {
                // Stopping (SIGTERM): the call ends with CANCELLED (or its transport closes); that is no failure.
                return;
            }
            catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException or InvalidOperationException)
            {
                // Issue 24: a stream that was healthy and then failed (the aggregator died) starts the backoff over;
                // only failures in a row grow it.
                attempt = (stream.Healthy ? 0 : attempt) + 1;
                Log.StreamFailed(_logger, Name, attempt, ex);
            }
            var delay = Backoff(attempt);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Full-jitter exponential backoff: uniform in [0, min(max, min * 2^attempt)], never below min.</summary>
    internal TimeSpan Backoff(int attempt) => FullJitter(_minDelay, _maxDelay, attempt);

    /// <summary>The backoff shared by every gossip client (aggregator streams and peer links).</summary>
    internal static TimeSpan FullJitter(TimeSpan minDelay, TimeSpan maxDelay, int attempt)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, minDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(Math.Max(minDelay.TotalMilliseconds, Random.Shared.NextDouble() * ceiling));
    }

    /// <summary>
    /// Submits one batch with the unary <c>Gossip.Submit</c> on this connection's channel (used for batches relayed from
    /// peers: each is acknowledged on its own, whoever signed it).
    /// </summary>
    public async Task<Acknowledgement> SubmitAsync(ObservationBatch batch, CancellationToken cancellationToken) =>
        await _client.SubmitAsync(batch, deadline: _time.GetUtcNow().AddSeconds(10).UtcDateTime, cancellationToken: cancellationToken).ConfigureAwait(false);

    private async Task RunStreamAsync(StreamProgress progress, CancellationToken cancellationToken)
    {
        using var streamCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _client.Connect(cancellationToken: streamCts.Token);
        // Up once the aggregator answers with headers (it sends them at once), without waiting for them before sending:
        // an aggregator that sends none until its first message still gets our batches.
        _ = call.ResponseHeadersAsync.ContinueWith(t => _connected |= t.IsCompletedSuccessfully && !streamCts.IsCancellationRequested,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var writeLock = new SemaphoreSlim(1, 1);
        async Task WriteAsync(ReporterMessage message)
        {
            await writeLock.WaitAsync(streamCts.Token).ConfigureAwait(false);
            try
            {
                await call.RequestStream.WriteAsync(message, streamCts.Token).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        // Resend everything not yet acknowledged, oldest round first, then whatever arrives.
        while (_fresh.Reader.TryRead(out _))
        {
        }
        foreach (var entry in _unacknowledged.Values.OrderBy(e => e.Round).ToArray())
        {
            await WriteAsync(new ReporterMessage { Observation = entry.Message }).ConfigureAwait(false);
        }
        var sender = Task.Run(async () =>
        {
            await foreach (var entry in _fresh.Reader.ReadAllAsync(streamCts.Token).ConfigureAwait(false))
            {
                await WriteAsync(new ReporterMessage { Observation = entry.Message }).ConfigureAwait(false);
            }
        }, streamCts.Token);

        try
        {
            while (await call.ResponseStream.MoveNext(streamCts.Token).ConfigureAwait(false))
            {
                progress.Healthy = true;
                _connected = true;
                var message = call.ResponseStream.Current;
                if (message.Acknowledgement is { } ack)
                {
                    OnAcknowledgement(ack);
                }
                else if (message.Proposal is { } proposal)
                {
                    await WriteAsync(await _attester.AnswerAsync(proposal, streamCts.Token).ConfigureAwait(false)).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _connected = false;
            await streamCts.CancelAsync().ConfigureAwait(false);
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException or IOException)
            {
                // the sender stops with the stream (a write racing the end of the call fails; the stream's own
                // outcome is what counts)
            }
        }
    }

    /// <summary>What one stream achieved, known even when it ends with an exception.</summary>
    private sealed class StreamProgress
    {
        /// <summary>The aggregator answered on the stream (an acknowledgement or a proposal).</summary>
        public bool Healthy { get; set; }
    }

    private void OnAcknowledgement(Acknowledgement ack)
    {
        if (ack.MessageHash.Length != Hash32.Size)
        {
            Log.BadAcknowledgement(_logger, Name, ack.MessageHash.Length);
            return;
        }
        var hash = new Hash32(ack.MessageHash.Span);
        if (!_unacknowledged.TryRemove(hash, out var entry))
        {
            return; // an attestation's acknowledgement, or a batch acknowledged before
        }

        _queuedAt.TryRemove(hash, out _);
        var accepted = ack.Accepted || ack.Reason == RejectReason.Duplicate;
        if (_lastAcknowledgement is not { } last || last.Round <= entry.Round.Value)
        {
            _lastAcknowledgement = new BatchAcknowledgement(entry.Round.Value, accepted, accepted ? null : ack.Reason.ToString(), accepted ? null : ack.Message, _time.GetUtcNow());
        }

        if (!accepted)
        {
            // A rejected batch is not resent: resending the same bytes cannot change the verdict.
            Log.BatchRejected(_logger, Name, entry.Round.Value, ack.Reason.ToString(), ack.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Warning, "Gossip stream to {Aggregator} failed (attempt {Attempt}); reconnecting")]
        public static partial void StreamFailed(ILogger logger, string aggregator, int attempt, Exception exception);

        [LoggerMessage(601, LogLevel.Information, "Gossip stream to {Aggregator} ended; reconnecting")]
        public static partial void StreamEnded(ILogger logger, string aggregator);

        [LoggerMessage(602, LogLevel.Warning, "Aggregator {Aggregator} rejected our round {Round} batch ({Reason}): {Detail}")]
        public static partial void BatchRejected(ILogger logger, string aggregator, ulong round, string reason, string detail);

        [LoggerMessage(603, LogLevel.Warning, "Aggregator {Aggregator} sent an acknowledgement with a {Length}-byte hash")]
        public static partial void BadAcknowledgement(ILogger logger, string aggregator, int length);
    }
}
