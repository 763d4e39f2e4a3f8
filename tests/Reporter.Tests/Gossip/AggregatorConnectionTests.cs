using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using SupplyOracle.Protocol.State;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Reporter.Attestation;
using SupplyOracle.Reporter.Gossip;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Journal;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.Rules.Domain;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Gossip;

/// <summary>The gossip client against a real in-test gRPC aggregator.</summary>
public sealed class AggregatorConnectionTests
{

    [Fact]
    public async Task RunAsync_AggregatorDropsStreamBeforeAcknowledging_ResendsAfterReconnectUntilAcknowledged()
    {
        var entry = await EntryAsync(11);
        await using var aggregator = await TestAggregator.StartAsync();
        aggregator.Handler.DigestOf = _ => ByteString.CopyFrom(entry.Digest.ToArray());
        aggregator.Handler.DropsLeft = 2;
        var connection = Connection(aggregator.Url);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(entry);

        var run = connection.RunAsync(cts.Token);
        await WaitUntilAsync(() => connection.Unacknowledged == 0, cts.Token);
        await cts.CancelAsync();
        await run;

        var sent = aggregator.Handler.Received.Select(m => m.Observation).ToArray();
        Assert.Equal(3, sent.Length);
        Assert.All(sent, b => Assert.Equal(entry.Message, b));
    }

    [Fact]
    public async Task RunAsync_AggregatorStartsLate_ConnectsWithBackoffAndDelivers()
    {
        var entry = await EntryAsync(12);
        var port = FreePort.Next();
        var connection = Connection(new Uri($"http://127.0.0.1:{port}"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(entry);
        var run = connection.RunAsync(cts.Token);
        await Task.Delay(500, cts.Token);

        await using var aggregator = await TestAggregator.StartAsync(port);
        aggregator.Handler.DigestOf = _ => ByteString.CopyFrom(entry.Digest.ToArray());
        await WaitUntilAsync(() => connection.Unacknowledged == 0, cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Equal(entry.Message, Assert.Single(aggregator.Handler.Received).Observation);
    }

    [Fact]
    public async Task RunAsync_ProposalWhileChainUnreachable_RefusesWithUnavailableAndCountsIt()
    {
        await using var aggregator = await TestAggregator.StartAsync();
        aggregator.Handler.ToPropose.Enqueue(new Proposal { ProposalId = "p-1", StateBlock = 5, Report = new Protocol.V1.Report { Round = 1, ReferenceBlock = 5 } });
        using var telemetry = new ReporterTelemetry();
        long refused = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, telemetry.Meter) && i.Name == "supplyoracle.reporter.attestations.refused")
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref refused, v));
        listener.Start();
        var connection = Connection(aggregator.Url, telemetry);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(await EntryAsync(13));
        aggregator.Handler.DigestOf = _ => ByteString.Empty;

        var run = connection.RunAsync(cts.Token);
        await WaitUntilAsync(() => aggregator.Handler.Received.Any(m => m.ProposalVerdict is not null), cts.Token);
        await cts.CancelAsync();
        await run;

        var verdict = aggregator.Handler.Received.Select(m => m.ProposalVerdict).Single(v => v is not null)!;
        Assert.False(verdict.Accepted);
        Assert.Equal(RejectReason.Unavailable, verdict.Reason);
        Assert.Equal(1, refused);
    }

    [Fact]
    public async Task RunAsync_HealthyStreamThenFails_BackoffStartsOverInsteadOfGrowing()
    {
        // Issue 24 item 1: three failures in a row (attempts 1, 2, 3), then a stream on which the aggregator answered
        // (it acknowledged the batch) fails as when the aggregator dies: the next attempt is 1 again, not 4.
        var entry = await EntryAsync(14);
        await using var aggregator = await TestAggregator.StartAsync();
        aggregator.Handler.DigestOf = _ => ByteString.CopyFrom(entry.Digest.ToArray());
        aggregator.Handler.DropsLeft = 3;
        aggregator.Handler.FailsAfterAcknowledgingLeft = 1;
        var log = new FailureLog();
        var time = new ImmediateTimeProvider();
        var connection = Connection(aggregator.Url, time: time, logger: log, minDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(1000));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(entry);

        var run = connection.RunAsync(cts.Token);
        await WaitUntilAsync(() => log.Attempts.Count >= 4 && Volatile.Read(ref aggregator.Handler.Streams) >= 5, cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Equal([1, 2, 3, 1], log.Attempts.Take(4));
        Assert.Equal(0, connection.Unacknowledged);
        // The waits: 1 s after a first failure is drawn from [1 s, 2 s] (full jitter on min * 2^attempt).
        Assert.InRange(time.Delays[3], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task RunAsync_StoppedWhileStreamIsOpen_LogsNoStreamFailure()
    {
        // Issue 19 item 2: a clean stop (SIGTERM cancels the token) is not a gossip failure with a stack trace.
        var entry = await EntryAsync(15);
        await using var aggregator = await TestAggregator.StartAsync();
        aggregator.Handler.DigestOf = _ => ByteString.CopyFrom(entry.Digest.ToArray());
        var log = new FailureLog();
        var connection = Connection(aggregator.Url, logger: log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        connection.Enqueue(entry);

        var run = connection.RunAsync(cts.Token);
        await WaitUntilAsync(() => connection.Unacknowledged == 0, cts.Token);
        await cts.CancelAsync();
        await run;

        Assert.Empty(log.Attempts);
    }

    private static async Task<JournalEntry> EntryAsync(ulong round)
    {
        var batch = await Batches.SignAsync(round, 500);
        return new JournalEntry(new RoundId(round), batch.Digest, batch.ToProto());
    }

    private static AggregatorConnection Connection(Uri url, ReporterTelemetry? telemetry = null, TimeProvider? time = null,
        ILogger<AggregatorConnection>? logger = null, TimeSpan? minDelay = null, TimeSpan? maxDelay = null)
    {
        // The state reader points at a closed port (an RPC endpoint that is down).
        var down = EthereumRpcClient.Connect(new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        var reader = new OracleStateReader(down, Batches.Deployment);
        var attester = new ProposalAttester(Batches.Deployment, down, reader, Batches.Signer, new ReporterStatus(), telemetry ?? new ReporterTelemetry());
        return new AggregatorConnection(url.ToString(), GrpcChannel.ForAddress(url).CreateCallInvoker(), attester,
            minDelay ?? TimeSpan.FromMilliseconds(50), maxDelay ?? TimeSpan.FromMilliseconds(300), time, logger);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Records the attempt number of every "stream failed" log entry (event 600).</summary>
    private sealed class FailureLog : ILogger<AggregatorConnection>
    {
        public List<int> Attempts { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 600 && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                lock (Attempts)
                {
                    Attempts.Add((int)fields.Single(f => f.Key == "Attempt").Value!);
                }
            }
        }
    }

    /// <summary>A clock whose timers fire at once: the backoff waits are recorded, not waited.</summary>
    private sealed class ImmediateTimeProvider : TimeProvider
    {
        private readonly List<TimeSpan> _delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_delays)
            {
                _delays.Add(dueTime);
            }

            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new Fired();
        }

        private sealed class Fired : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
