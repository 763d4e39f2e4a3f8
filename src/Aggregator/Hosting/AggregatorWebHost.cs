using System.IO.Compression;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Dashboard;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Protocol.Transport;

namespace SupplyOracle.Aggregator.Hosting;

/// <summary>
/// The aggregator's Kestrel host: Grpc.AspNetCore on one endpoint (HTTP/2 only: h2c, or TLS when configured) with the
/// gossip service, the Status service when given, <c>grpc.health.v1.Health</c> and, when enabled, server reflection;
/// and, when given, plain HTTP/1.1 on another for <c>/healthz</c> (and, with the query side, <c>/readyz</c> and the JSON
/// API). Every gRPC call runs behind <see cref="ServerCallInterceptor"/>; the limits of <see cref="ValidatedGrpcOptions"/>
/// (streams per connection, connections, message size, keepalive) keep one client from exhausting the server.
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
        return StartAsync(grpcEndPoint, httpEndPoint, gossip, null, configureLogging, cancellationToken: cancellationToken);
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
    /// <param name="grpc">The gRPC endpoint's limits and features (null: <see cref="ValidatedGrpcOptions.Default"/>).</param>
    /// <param name="health">What <c>grpc.health.v1.Health</c> checks (null: no checks, always SERVING while up).</param>
    /// <param name="metrics">Served as <c>GET /metrics</c> on the HTTP endpoint (issue 19 item 4), or null for none.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<RunningHost> StartAsync(IPEndPoint grpcEndPoint, IPEndPoint? httpEndPoint, GossipService? gossip, AggregatorQueryServices? query,
        Action<Microsoft.Extensions.Logging.ILoggingBuilder>? configureLogging = null, ValidatedGrpcOptions? grpc = null, AggregatorHealth? health = null,
        SupplyOracle.Telemetry.PrometheusExport? metrics = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grpcEndPoint);
        grpc ??= ValidatedGrpcOptions.Default;
        var builder = WebApplication.CreateSlimBuilder();
        configureLogging?.Invoke(builder.Logging);
        // ServerCallInterceptor logs every failed call once (and a client going away at Debug, without a trace);
        // grpc-dotnet's own "Error status code raised" entries would repeat each with the exception's stack trace.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.Warning);
        AddGrpcServices(builder.Services, grpc, health);
        builder.WebHost.ConfigureKestrel(k => ConfigureKestrel(k, grpcEndPoint, httpEndPoint, grpc));
        // Grpc.AspNetCore activates services from DI: the instances given here serve every call.
        if (gossip is not null)
        {
            builder.Services.AddSingleton(gossip);
        }

        if (query is not null)
        {
            builder.Services.AddSingleton(query.Status);
        }

        var app = builder.Build();
        // Long-lived streams (reporters' Connect, Status Watch) end as soon as the host starts stopping, so that they
        // do not hold Kestrel's graceful shutdown for its whole timeout; clients reconnect elsewhere or later.
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            gossip?.CompleteStreams();
            query?.Status.CompleteStreams();
        });
        if (gossip is not null)
        {
            app.MapGrpcService<GossipService>();
        }

        if (query is not null)
        {
            app.MapGrpcService<StatusService>();
        }

        app.MapGrpcHealthChecksService();
        if (grpc.Reflection)
        {
            app.MapGrpcReflectionService();
        }

        if (httpEndPoint is not null && query is not null)
        {
            app.UseJsonNotFound();
            app.MapQueryHttpApi(query.Reader, query.Monitor, query.Chain, query.Audit);
            app.MapDashboard(query.Dashboard);
        }
        else if (httpEndPoint is not null)
        {
            app.MapGet("/healthz", () => Results.Text("ok"));
        }

        if (httpEndPoint is not null && metrics is not null)
        {
            // Scraped on the HTTP/1.1 endpoint (a Prometheus scraper does not speak h2c to the gRPC one).
            metrics.Map(app);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // e.g. a port in use: nothing is left listening or running
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new RunningHost(app, addresses[0], httpEndPoint is null ? null : addresses[^1]);
    }

    internal static void AddGrpcServices(IServiceCollection services, ValidatedGrpcOptions grpc, AggregatorHealth? health)
    {
        // The one place exceptions become statuses (ServerCallInterceptor); these are the infrastructure failures a
        // client may retry (grpc doc/statuscodes.md UNAVAILABLE).
        services.AddSingleton(new GrpcExceptionMap()
            .Map(EventConflicts.IsTransient, Grpc.Core.StatusCode.Unavailable, "the aggregator's event log is unavailable; nothing was recorded")
            .Map<QueryUnavailableException>(Grpc.Core.StatusCode.Unavailable, "the aggregator's database is unavailable"));
        services.AddSingleton<ServerCallInterceptor>();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ServerCallInterceptor>();
            o.MaxReceiveMessageSize = grpc.MaxReceiveMessageSize;
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = false;
            // gzip is accepted on requests by default (CompressionProviders); offering it compresses responses for
            // clients whose grpc-accept-encoding lists it (grpc doc/compression.md).
            o.ResponseCompressionAlgorithm = grpc.ResponseCompression;
            o.ResponseCompressionLevel = CompressionLevel.Fastest;
        });
        services.AddGrpcReflection();
        var checks = services.AddGrpcHealthChecks(o =>
        {
            o.Services.Map("", _ => true);
            o.Services.Map(Protocol.V1.Gossip.Descriptor.FullName, _ => true);
            o.Services.Map(Protocol.V1.Status.Descriptor.FullName, _ => true);
        });
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = grpc.HealthCheckInterval;
            o.Timeout = AggregatorHealth.CheckTimeout;
        });
        health?.Register(checks);
    }

    internal static void ConfigureKestrel(KestrelServerOptions k, IPEndPoint grpcEndPoint, IPEndPoint? httpEndPoint, ValidatedGrpcOptions grpc)
    {
        k.Limits.Http2.MaxStreamsPerConnection = grpc.MaxStreamsPerConnection;
        k.Limits.Http2.KeepAlivePingDelay = grpc.KeepAlivePing;
        k.Limits.Http2.KeepAlivePingTimeout = grpc.KeepAliveTimeout;
        k.Limits.MaxConcurrentConnections = grpc.MaxConnections;
        k.AddServerHeader = false;
        k.Listen(grpcEndPoint, listen =>
        {
            // Cleartext HTTP/2 needs Http2 alone (no ALPN to negotiate; grpc-dotnet#979).
            listen.Protocols = HttpProtocols.Http2;
            if (grpc.Tls is { } tls)
            {
                listen.UseHttps(https => ConfigureTls(https, tls));
            }
        });
        if (httpEndPoint is not null)
        {
            k.Listen(httpEndPoint, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    private static void ConfigureTls(HttpsConnectionAdapterOptions https, GrpcServerTls tls)
    {
        https.ServerCertificate = tls.Certificate;
        if (tls.ClientCa is not { } ca)
        {
            return;
        }

        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (certificate, _, errors) =>
        {
            if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };
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
