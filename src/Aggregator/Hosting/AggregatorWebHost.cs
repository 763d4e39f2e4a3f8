using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Hosting;

/// <summary>
/// The aggregator's Kestrel host: the gossip service (and, when given, the Status service) over gRPC (HTTP/2,
/// <c>ListenGrpc</c>) on one endpoint and, when given, plain HTTP/1.1 on another for <c>/healthz</c> (and, with the
/// query side, <c>/readyz</c> and the JSON API).
/// </summary>
public static class AggregatorWebHost
{
    /// <summary>Builds and starts the host; dispose the returned application to stop it.</summary>
    /// <param name="grpcEndPoint">Where reporters connect (port 0: any free port).</param>
    /// <param name="httpEndPoint">Where the health endpoint listens, or null for none.</param>
    /// <param name="gossip">The gossip service.</param>
    /// <param name="configureLogging">Logging set-up (the default host logs to the console).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static Task<RunningHost> StartAsync(IPEndPoint grpcEndPoint, IPEndPoint? httpEndPoint, GossipService gossip,
        Action<Microsoft.Extensions.Logging.ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gossip);
        return StartAsync(grpcEndPoint, httpEndPoint, gossip, null, configureLogging, cancellationToken);
    }

    /// <summary>
    /// Builds and starts the host with the query side (README "Aggregator query API"): the Status service on the gRPC
    /// endpoint and, on the HTTP endpoint, the JSON API, <c>/healthz</c> and <c>/readyz</c>. With a null
    /// <paramref name="gossip"/> the host serves queries only (a read replica).
    /// </summary>
    /// <param name="grpcEndPoint">Where reporters and Status clients connect (port 0: any free port).</param>
    /// <param name="httpEndPoint">Where the JSON API and health endpoints listen, or null for none.</param>
    /// <param name="gossip">The gossip service, or null.</param>
    /// <param name="query">The query side (<see cref="AggregatorQueryServices.StartAsync"/>), or null.</param>
    /// <param name="configureLogging">Logging set-up (the default host logs to the console).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<RunningHost> StartAsync(IPEndPoint grpcEndPoint, IPEndPoint? httpEndPoint, GossipService? gossip, AggregatorQueryServices? query,
        Action<Microsoft.Extensions.Logging.ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grpcEndPoint);
        var builder = WebApplication.CreateSlimBuilder();
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddGrpcTransport();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenGrpc(grpcEndPoint);
            if (httpEndPoint is not null)
            {
                k.Listen(httpEndPoint);
            }
        });
        var app = builder.Build();
        if (gossip is not null)
        {
            app.MapGrpcService(GossipReflection.Descriptor.Services[0], gossip);
        }

        if (query is not null)
        {
            app.MapGrpcService(StatusReflection.Descriptor.Services[0], query.Status);
        }

        if (httpEndPoint is not null && query is not null)
        {
            app.UseJsonNotFound();
            app.MapQueryHttpApi(query.Reader, query.Monitor, query.Chain, query.Audit);
        }
        else if (httpEndPoint is not null)
        {
            app.MapGet("/healthz", () => Results.Text("ok"));
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new RunningHost(app, addresses[0], httpEndPoint is null ? null : addresses[^1]);
    }
}

/// <summary>A started host: its addresses; dispose to stop.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningHost(WebApplication app, Uri grpc, Uri? http)
    {
        _app = app;
        Grpc = grpc;
        Http = http;
    }

    /// <summary>The gRPC address (h2c).</summary>
    public Uri Grpc { get; }

    /// <summary>The HTTP/1.1 address of the health endpoint, if any.</summary>
    public Uri? Http { get; }

    /// <summary>Completes when the host stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// Stops the host: in-flight calls get a few seconds, then Kestrel aborts the connections (reporters' HTTP/2
    /// connections stay open and would otherwise hold the graceful shutdown for the host's whole timeout).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
