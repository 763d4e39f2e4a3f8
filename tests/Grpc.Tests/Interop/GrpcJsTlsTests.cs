using System.Security.Cryptography.X509Certificates;
using SupplyOracle.Grpc.Tests.TestServices;

namespace SupplyOracle.Grpc.Tests.Interop;

/// <summary>@grpc/grpc-js over TLS against our server that requires a client certificate (mutual TLS).</summary>
public sealed class GrpcJsTlsTests : ServerTestBase, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("grpc-tls-").FullName;

    protected override Task<TestServer> StartServerAsync() => TestServer.StartAsync(requireClientCertificate: true);

    private Dictionary<string, string> Pems(bool withClientCertificate)
    {
        var ca = Path.Combine(_dir, "server.pem");
        File.WriteAllText(ca, Server.Certificates.Server.ExportCertificatePem());
        var env = new Dictionary<string, string> { ["TLS_CA"] = ca };
        if (withClientCertificate)
        {
            env["TLS_CERT"] = Path.Combine(_dir, "client.pem");
            env["TLS_KEY"] = Path.Combine(_dir, "client.key");
            File.WriteAllText(env["TLS_CERT"], Server.Certificates.Client.ExportCertificatePem());
            using var key = Server.Certificates.Client.GetECDsaPrivateKey()!;
            File.WriteAllText(env["TLS_KEY"], key.ExportPkcs8PrivateKeyPem());
        }

        return env;
    }

    private Uri Target => new($"https://localhost:{Server.Https.Port}");

    [Fact]
    public async Task Unary_GrpcJsWithClientCertificate_Succeeds()
    {
        var r = await NodeScripts.RunClientAsync(Target, "tls-unary", Pems(withClientCertificate: true));
        Assert.Equal("over tls", r.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Unary_GrpcJsWithoutClientCertificate_Unavailable()
    {
        var r = await NodeScripts.RunClientAsync(Target, "tls-unary", Pems(withClientCertificate: false));
        Assert.Equal(14, r.GetProperty("code").GetInt32());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
