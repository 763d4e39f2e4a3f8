using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using SupplyOracle.Grpc;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>
/// A minimal in-test aggregator: a real gRPC server (src/Grpc on Kestrel) implementing Gossip. It records what
/// reporters send, acknowledges batches unless told to drop the stream first, and can push proposals down.
/// </summary>
internal sealed class TestAggregator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestAggregator(WebApplication app, int port, GossipHandler handler)
    {
        _app = app;
        Url = new Uri($"http://127.0.0.1:{port}");
        Handler = handler;
    }

    public Uri Url { get; }

    public GossipHandler Handler { get; }

    public static async Task<TestAggregator> StartAsync(int? port = null)
    {
        var handler = new GossipHandler();
        var (app, p) = await LoopbackHost.StartAsync(port, p =>
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Services.AddGrpcTransport();
            builder.WebHost.ConfigureKestrel(k => k.ListenGrpc(new IPEndPoint(IPAddress.Loopback, p)));
            var app = builder.Build();
            app.MapGrpcService(GossipReflection.Descriptor.Services[0], handler);
            return app;
        });
        return new TestAggregator(app, p, handler);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed class GossipHandler
    {
        public ConcurrentQueue<ReporterMessage> Received { get; } = new();

        /// <summary>Streams to end (UNAVAILABLE) right after their first message, without acknowledging it.</summary>
        public int DropsLeft;

        public ConcurrentQueue<Proposal> ToPropose { get; } = new();

        public async Task Connect(IGrpcStreamReader<ReporterMessage> requests, IGrpcStreamWriter<AggregatorMessage> responses, ServerCallContext context)
        {
            while (ToPropose.TryDequeue(out var proposal))
            {
                await responses.WriteAsync(new AggregatorMessage { Proposal = proposal }, context.CancellationToken);
            }
            while (await requests.MoveNextAsync(context.CancellationToken))
            {
                var message = requests.Current;
                Received.Enqueue(message);
                if (Interlocked.Decrement(ref DropsLeft) >= 0)
                {
                    throw new GrpcStatusException(StatusCode.Unavailable, "test aggregator drops the stream");
                }
                if (message.Observation is { } batch)
                {
                    await responses.WriteAsync(new AggregatorMessage
                    {
                        Acknowledgement = new Acknowledgement { Accepted = true, MessageHash = DigestOf(batch), Round = batch.Round },
                    }, context.CancellationToken);
                }
            }
        }

        /// <summary>Batches received with the unary Submit.</summary>
        public ConcurrentQueue<ObservationBatch> Submitted { get; } = new();

        public Task<Acknowledgement> Submit(ObservationBatch batch, ServerCallContext context)
        {
            Submitted.Enqueue(batch);
            return Task.FromResult(new Acknowledgement { Accepted = true, MessageHash = DigestOf(batch), Round = batch.Round });
        }

        public async Task<RelaySummary> Relay(IGrpcStreamReader<ObservationBatch> requests, ServerCallContext context)
        {
            var summary = new RelaySummary();
            while (await requests.MoveNextAsync(context.CancellationToken))
            {
                summary.Accepted++;
            }
            return summary;
        }

        /// <summary>Set by the test: how a batch maps to its digest (the test knows the deployment).</summary>
        public Func<ObservationBatch, ByteString> DigestOf { get; set; } = _ => ByteString.Empty;
    }
}
