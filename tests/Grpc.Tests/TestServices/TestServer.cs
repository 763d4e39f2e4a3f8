using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Grpc.Tests.V1;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Grpc.Tests.TestServices;

/// <summary>
/// Our gRPC server on Kestrel for tests: one cleartext HTTP/2 endpoint and one TLS endpoint (mutual TLS when asked),
/// on free loopback ports, serving grpctest.v1.Echo, supplyoracle.v1.Gossip and supplyoracle.v1.Status.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, EchoService echo, TestCertificates certificates)
    {
        _app = app;
        Echo = echo;
        Certificates = certificates;
    }

    public EchoService Echo { get; }

    public TestCertificates Certificates { get; }

    public Uri Http { get; private set; } = null!;

    public Uri Https { get; private set; } = null!;

    public static async Task<TestServer> StartAsync(int? maxReceiveMessageSize = null, bool requireClientCertificate = false, TimeProvider? timeProvider = null)
    {
        var certificates = TestCertificates.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddGrpcTransport(o =>
        {
            if (maxReceiveMessageSize is { } max)
            {
                o.MaxReceiveMessageSize = max;
            }
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenGrpc(new IPEndPoint(IPAddress.Loopback, 0));
            k.ListenGrpc(new IPEndPoint(IPAddress.Loopback, 0), new GrpcTlsOptions
            {
                ServerCertificate = certificates.Server,
                ClientCertificateMode = requireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                ClientCertificateValidation = (cert, _, _) => cert.Thumbprint == certificates.Client.Thumbprint,
            });
        });
        var app = builder.Build();
        var echo = new EchoService();
        app.MapGrpcService(EchoReflection.Descriptor.Services[0], echo);
        app.MapGrpcService(GossipReflection.Descriptor.Services[0], new GossipEchoService());
        app.MapGrpcService(StatusReflection.Descriptor.Services[0], new FixedStatusService());
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        var server = new TestServer(app, echo, certificates)
        {
            Http = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal))),
            Https = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)).Replace("127.0.0.1", "localhost", StringComparison.Ordinal)),
        };
        return server;
    }

    public GrpcChannel Channel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Http, options);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificates.Dispose();
    }
}

/// <summary>A throwaway CA-less pair: a self-signed server certificate for localhost and a self-signed client certificate.</summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 server, X509Certificate2 client)
    {
        Server = server;
        Client = client;
    }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public static TestCertificates Create() => new(Make("CN=localhost", server: true), Make("CN=reporter-1", server: false));

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Make(string subject, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        // Round-trip through PKCS#12 so SslStream on Linux can use the private key.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
