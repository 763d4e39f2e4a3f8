using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.Client;

/// <summary>TLS and mutual TLS between our client and our server (HTTP/2 negotiated by ALPN).</summary>
public sealed class TlsTests : ServerTestBase
{
    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(requireClientCertificate: true);

    private GrpcChannelOptions Trusting(bool withClientCertificate) => new()
    {
        ServerCertificateValidation = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == Server.Certificates.Server.Thumbprint,
        ClientCertificate = withClientCertificate ? Server.Certificates.Client : null,
    };

    [Fact]
    public async Task Unary_MutualTls_Succeeds()
    {
        using var channel = GrpcChannel.ForAddress(Server.Https, Trusting(withClientCertificate: true));
        var response = await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "tls" });
        Assert.Equal("tls", response.Text);
    }

    [Fact]
    public async Task Duplex_MutualTls_Streams()
    {
        using var channel = GrpcChannel.ForAddress(Server.Https, Trusting(withClientCertificate: true));
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "a" });
        Assert.True(await call.ResponseStream.MoveNextAsync());
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNextAsync());
    }

    [Fact]
    public async Task Unary_NoClientCertificate_Unavailable()
    {
        using var channel = GrpcChannel.ForAddress(Server.Https, Trusting(withClientCertificate: false));
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task Unary_UntrustedServerCertificate_Unavailable()
    {
        using var channel = GrpcChannel.ForAddress(Server.Https, new GrpcChannelOptions { ClientCertificate = Server.Certificates.Client });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }
}
