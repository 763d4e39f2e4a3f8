using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.State;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Reporter.Attestation;
using SupplyOracle.Reporter.Gossip;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>
/// A reporter's peer relay on a real Kestrel gRPC host on loopback, with its own telemetry whose
/// <c>supplyoracle.reporter.relay.batches</c> measurements are counted by outcome.
/// </summary>
internal sealed class TestRelay : IAsyncDisposable
{
    private static readonly HttpClient s_http = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly MeterListener _listener;
    private readonly ReporterTelemetry _telemetry;
    private readonly List<GrpcChannel> _channels;
    private long _forwarded;
    private long _duplicates;
    private long _rejected;

    private TestRelay(WebApplication app, PeerRelay relay, ReporterTelemetry telemetry, List<GrpcChannel> channels, Uri url)
    {
        _app = app;
        Relay = relay;
        _telemetry = telemetry;
        _channels = channels;
        Url = url;
        _listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter, telemetry.Meter) && i.Name == "supplyoracle.reporter.relay.batches")
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    _ = (string?)tag.Value switch
                    {
                        "forwarded" => Interlocked.Add(ref _forwarded, v),
                        "duplicate" => Interlocked.Add(ref _duplicates, v),
                        _ => Interlocked.Add(ref _rejected, v),
                    };
                }
            }
        });
        _listener.Start();
        _run = relay.RunAsync(_stop.Token);
    }

    public Uri Url { get; }

    public PeerRelay Relay { get; }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Starts a relay on <paramref name="port"/> forwarding to the given aggregators and peer URLs; current round 100.</summary>
    public static async Task<TestRelay> StartAsync(string nodeId, int port, IEnumerable<Uri> aggregators, IEnumerable<Uri> peers, ulong currentRound = 100)
    {
        var channels = new List<GrpcChannel>();
        GrpcChannel Channel(Uri url)
        {
            var channel = GrpcChannel.ForAddress(url);
            channels.Add(channel);
            return channel;
        }
        var telemetry = new ReporterTelemetry();
        // Relayed batches go up with Submit; the attester (for proposals on Connect streams) is never asked here.
        var down = EthereumRpcClient.Connect(new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        var attester = new ProposalAttester(Batches.Deployment, down, new OracleStateReader(down, Batches.Deployment), Batches.Signer, new ReporterStatus(), telemetry);
        var view = new RelayView(new BatchExpectations(10, new ReporterSet([Batches.Signer.Address])), currentRound);
        var relay = new PeerRelay(nodeId, new BatchVerifier(Batches.Deployment), _ => ValueTask.FromResult(view),
            [.. aggregators.Select(a => new AggregatorConnection(a.ToString(), Channel(a).CreateCallInvoker(), attester, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)))],
            [.. peers.Select(p => new PeerLink(p.ToString(), Channel(p).CreateCallInvoker(), nodeId, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)))],
            8, telemetry);
        var (app, _) = await LoopbackHost.StartAsync(port, p =>
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(relay);
            builder.WebHost.ConfigureKestrel(k => k.Listen(new IPEndPoint(IPAddress.Loopback, p), l => l.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            app.MapGrpcService<RelayGossipService>();
            return app;
        });
        return new TestRelay(app, relay, telemetry, channels, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>One <c>Gossip.Relay</c> call from a test client (no node id header).</summary>
    public static async Task<RelaySummary> SendAsync(Uri relay, IEnumerable<ObservationBatch> batches, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(relay);
        using var call = new Protocol.V1.Gossip.GossipClient(channel).Relay(cancellationToken: cancellationToken);
        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(batch, cancellationToken);
        }
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _listener.Dispose();
        _telemetry.Dispose();
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        _stop.Dispose();
    }
}
