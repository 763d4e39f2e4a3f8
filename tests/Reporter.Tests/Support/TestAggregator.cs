using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>
/// A minimal in-test aggregator: a real gRPC server (Grpc.AspNetCore on Kestrel) implementing Gossip. It records what
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
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(handler);
            builder.WebHost.ConfigureKestrel(k => k.Listen(new IPEndPoint(IPAddress.Loopback, p), l => l.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            app.MapGrpcService<GossipHandler>();
            return app;
        });
        return new TestAggregator(app, p, handler);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed class GossipHandler : Protocol.V1.Gossip.GossipBase
    {
        public ConcurrentQueue<ReporterMessage> Received { get; } = new();

        /// <summary>Streams to end (UNAVAILABLE) right after their first message, without acknowledging it.</summary>
        public int DropsLeft;

        /// <summary>Streams to end (UNAVAILABLE) right after acknowledging a batch: healthy streams that then fail.</summary>
        public int FailsAfterAcknowledgingLeft;

        /// <summary>Connect calls received so far.</summary>
        public int Streams;

        public ConcurrentQueue<Proposal> ToPropose { get; } = new();

        public override async Task Connect(IAsyncStreamReader<ReporterMessage> requests, IServerStreamWriter<AggregatorMessage> responses, ServerCallContext context)
        {
            Interlocked.Increment(ref Streams);
            while (ToPropose.TryDequeue(out var proposal))
            {
                await responses.WriteAsync(new AggregatorMessage { Proposal = proposal }, context.CancellationToken);
            }
            while (await requests.MoveNext(context.CancellationToken))
            {
                var message = requests.Current;
                Received.Enqueue(message);
                if (Interlocked.Decrement(ref DropsLeft) >= 0)
                {
                    throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "test aggregator drops the stream"));
                }
                if (message.Observation is { } batch)
                {
                    await responses.WriteAsync(new AggregatorMessage
                    {
                        Acknowledgement = new Acknowledgement { Accepted = true, MessageHash = DigestOf(batch), Round = batch.Round },
                    }, context.CancellationToken);
                    if (Interlocked.Decrement(ref FailsAfterAcknowledgingLeft) >= 0)
                    {
                        throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "test aggregator fails the stream after acknowledging"));
                    }
                }
            }
        }

        /// <summary>Batches received with the unary Submit.</summary>
        public ConcurrentQueue<ObservationBatch> Submitted { get; } = new();

        public override Task<Acknowledgement> Submit(ObservationBatch batch, ServerCallContext context)
        {
            Submitted.Enqueue(batch);
            return Task.FromResult(new Acknowledgement { Accepted = true, MessageHash = DigestOf(batch), Round = batch.Round });
        }

        public override async Task<RelaySummary> Relay(IAsyncStreamReader<ObservationBatch> requests, ServerCallContext context)
        {
            var summary = new RelaySummary();
            while (await requests.MoveNext(context.CancellationToken))
            {
                summary.Accepted++;
            }
            return summary;
        }

        /// <summary>Set by the test: how a batch maps to its digest (the test knows the deployment).</summary>
        public Func<ObservationBatch, ByteString> DigestOf { get; set; } = _ => ByteString.Empty;
    }
}
