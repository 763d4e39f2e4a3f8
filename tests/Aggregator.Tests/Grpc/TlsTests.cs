using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Tests.Grpc.Interop;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Protocol.Transport;
using SupplyOracle.Protocol.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Grpc;

/// <summary>
/// Mutual TLS configured as an operator does it (<c>Aggregator:Grpc:CertificateFile</c>, <c>CertificateKeyFile</c>,
/// <c>ClientCaFile</c>, PEM files from a private CA): grpc-js and our generated client with a certificate the CA signed
/// get through; without one the handshake fails (UNAVAILABLE).
/// </summary>
public sealed class TlsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grpc-tls-").FullName;
    private QueryLog _log = null!;
    private GrpcTestHost _host = null!;
    private X509Certificate2 _ca = null!;
    private X509Certificate2 _client = null!;

    private Uri Target => new($"https://localhost:{_host.Grpc.Port}");

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=supplyoracle test ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        _ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var server = Issue("CN=localhost", serverAuth: true);
        _client = Issue("CN=reporter-1", serverAuth: false);
        Write("ca.pem", _ca.ExportCertificatePem());
        Write("server.pem", server.ExportCertificatePem());
        Write("server.key", server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        Write("client.pem", _client.ExportCertificatePem());
        Write("client.key", _client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var grpc = new AggregatorOptions
        {
            Grpc = new GrpcOptions
            {
                CertificateFile = Path.Combine(_dir, "server.pem"),
                CertificateKeyFile = Path.Combine(_dir, "server.key"),
                ClientCaFile = Path.Combine(_dir, "ca.pem"),
            },
        }.ValidateGrpc();
        _log = await QueryLog.CreateAsync(await postgres.Server.CreateDatabaseAsync());
        _host = await GrpcTestHost.StartAsync(_log.DataSource, _log.Events, grpc: grpc);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _log.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task GrpcJs_WithClientCertificate_CallCompletes()
    {
        var r = await NodeScripts.RunClientAsync(Target, "tls-unary", Pems(withClientCertificate: true));
        Assert.Equal(5, r.GetProperty("code").GetInt32()); // NOT_FOUND: the call reached the Status service
    }

    [Fact]
    public async Task GrpcJs_WithoutClientCertificate_Unavailable()
    {
        var r = await NodeScripts.RunClientAsync(Target, "tls-unary", Pems(withClientCertificate: false));
        Assert.Equal(14, r.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task OurClient_WithAndWithoutClientCertificate_CompletesThenUnavailable()
    {
        using var with = GrpcChannels.Create(Target, new GrpcClientTls(_ca, _client));
        using var without = GrpcChannels.Create(Target, new GrpcClientTls(_ca));
        var request = new GetTokenStateRequest { Token = Google.Protobuf.ByteString.CopyFrom(new byte[20]) };

        var found = await Assert.ThrowsAsync<RpcException>(() => new Protocol.V1.Status.StatusClient(with.WithCallMetrics()).GetTokenStateAsync(request).ResponseAsync);
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Protocol.V1.Status.StatusClient(without.WithCallMetrics()).GetTokenStateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, found.StatusCode);
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
    }

    [Fact]
    public void ValidateGrpc_KeyFileMissing_NamesTheSetting()
    {
        var e = Assert.Throws<AggregatorConfigurationException>(() =>
            new AggregatorOptions { Grpc = new GrpcOptions { CertificateFile = Path.Combine(_dir, "server.pem") } }.ValidateGrpc());
        Assert.Equal("Aggregator:Grpc:CertificateKeyFile", e.Setting);
    }

    private X509Certificate2 Issue(string subject, bool serverAuth)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        // Inside the CA's validity, whatever the clock read since: a leaf may not outlive its issuer (CertificateRequest.Create
        // throws), and "now + 1 day" read a second after the CA's own "now + 1 day" does (flaky on a loaded machine).
        using var issued = request.Create(_ca, _ca.NotBefore, _ca.NotAfter.AddHours(-1), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    private void Write(string name, string pem) => File.WriteAllText(Path.Combine(_dir, name), pem);

    private Dictionary<string, string> Pems(bool withClientCertificate)
    {
        var env = new Dictionary<string, string> { ["TLS_CA"] = Path.Combine(_dir, "ca.pem") };
        if (withClientCertificate)
        {
            env["TLS_CERT"] = Path.Combine(_dir, "client.pem");
            env["TLS_KEY"] = Path.Combine(_dir, "client.key");
        }

        return env;
    }
}
