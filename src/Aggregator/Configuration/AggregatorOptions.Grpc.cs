using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SupplyOracle.Aggregator.Configuration;

/// <summary>The gRPC endpoint's block: <c>Aggregator:Grpc:*</c> (limits, compression, reflection, health, TLS).</summary>
public sealed partial class AggregatorOptions
{
    /// <summary><c>Aggregator:Grpc:*</c>: limits and features of the gRPC endpoint (<see cref="GrpcListen"/>).</summary>
    public GrpcOptions Grpc { get; set; } = new();

    /// <summary>Checks the gRPC settings (and reads the TLS files); the message names the first one at fault.</summary>
    /// <exception cref="AggregatorConfigurationException">A setting is invalid or a TLS file cannot be read.</exception>
    public ValidatedGrpcOptions ValidateGrpc()
    {
        var g = Grpc;
        if (g.MaxReceiveMessageBytes is < 1024 or > 64 * 1024 * 1024)
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:MaxReceiveMessageBytes", $"must be 1024 to 67108864; got {g.MaxReceiveMessageBytes}");
        }

        if (g.MaxStreamsPerConnection is < 1 or > 10_000)
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:MaxStreamsPerConnection", $"must be 1 to 10000; got {g.MaxStreamsPerConnection}");
        }

        if (g.MaxConnections < 0)
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:MaxConnections", $"must be >= 0 (0: no limit); got {g.MaxConnections}");
        }

        if (!(g.KeepAlivePingSeconds >= 10))
        {
            // Kestrel's server pings are not limited by the clients' ping policies, but a ping every few seconds on every
            // idle reporter connection is noise: 10 s is the floor.
            throw new AggregatorConfigurationException("Aggregator:Grpc:KeepAlivePingSeconds", $"must be >= 10; got {g.KeepAlivePingSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!(g.KeepAliveTimeoutSeconds >= 1))
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:KeepAliveTimeoutSeconds", $"must be >= 1; got {g.KeepAliveTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        if (g.ResponseCompression is not ("gzip" or "identity"))
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:ResponseCompression", $"must be gzip or identity; got '{g.ResponseCompression}'");
        }

        if (!(g.HealthCheckSeconds is >= 1 and <= 300))
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:HealthCheckSeconds", $"must be 1 to 300; got {g.HealthCheckSeconds.ToString(CultureInfo.InvariantCulture)}");
        }

        var listen = IPEndPoint.TryParse(GrpcListen, out var endPoint) ? endPoint : null;
        var reflection = g.Reflection ?? (listen is not null && IPAddress.IsLoopback(listen.Address));
        return new ValidatedGrpcOptions(g.MaxReceiveMessageBytes, g.MaxStreamsPerConnection, g.MaxConnections == 0 ? null : g.MaxConnections,
            TimeSpan.FromSeconds(g.KeepAlivePingSeconds), TimeSpan.FromSeconds(g.KeepAliveTimeoutSeconds), g.ResponseCompression == "gzip" ? "gzip" : null,
            reflection, TimeSpan.FromSeconds(g.HealthCheckSeconds), LoadTls(g));
    }

    private static GrpcServerTls? LoadTls(GrpcOptions g)
    {
        if (string.IsNullOrWhiteSpace(g.CertificateFile))
        {
            if (!string.IsNullOrWhiteSpace(g.CertificateKeyFile) || !string.IsNullOrWhiteSpace(g.ClientCaFile))
            {
                throw new AggregatorConfigurationException("Aggregator:Grpc:CertificateFile", "is required when CertificateKeyFile or ClientCaFile is set");
            }

            return null;
        }

        if (string.IsNullOrWhiteSpace(g.CertificateKeyFile))
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:CertificateKeyFile", "is required with CertificateFile (a PEM private key)");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(g.CertificateFile, g.CertificateKeyFile);
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            throw new AggregatorConfigurationException("Aggregator:Grpc:CertificateFile", $"cannot be read with Aggregator:Grpc:CertificateKeyFile: {e.Message}");
        }

        X509Certificate2? clientCa = null;
        if (!string.IsNullOrWhiteSpace(g.ClientCaFile))
        {
            try
            {
                clientCa = X509CertificateLoader.LoadCertificateFromFile(g.ClientCaFile);
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                throw new AggregatorConfigurationException("Aggregator:Grpc:ClientCaFile", $"cannot be read: {e.Message}");
            }
        }

        return new GrpcServerTls(certificate, clientCa);
    }
}

/// <summary><c>Aggregator:Grpc:*</c> (operator guide "gRPC endpoint").</summary>
public sealed class GrpcOptions
{
    /// <summary><c>MaxReceiveMessageBytes</c>: larger messages are refused with RESOURCE_EXHAUSTED. Default 4 MiB (grpc-dotnet's and grpc-go's default).</summary>
    public int MaxReceiveMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary><c>MaxStreamsPerConnection</c>: concurrent calls one HTTP/2 connection may have open (SETTINGS_MAX_CONCURRENT_STREAMS). Default 100.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary><c>MaxConnections</c>: concurrent connections to the whole server; 0 for no limit. Default 1000.</summary>
    public long MaxConnections { get; set; } = 1000;

    /// <summary><c>KeepAlivePingSeconds</c>: a connection silent this long is pinged (finds dead peers behind NAT and load balancers). Default 60.</summary>
    public double KeepAlivePingSeconds { get; set; } = 60;

    /// <summary><c>KeepAliveTimeoutSeconds</c>: a ping unanswered this long closes the connection. Default 20 (grpc doc/keepalive.md).</summary>
    public double KeepAliveTimeoutSeconds { get; set; } = 20;

    /// <summary><c>ResponseCompression</c>: <c>gzip</c> (responses are gzip-compressed for clients that accept it) or <c>identity</c>. Requests in gzip are always accepted. Default gzip.</summary>
    public string ResponseCompression { get; set; } = "gzip";

    /// <summary><c>Reflection</c>: serve <c>grpc.reflection.v1</c> (grpcurl, grpc-js reflection clients). Default: on when <c>GrpcListen</c> is a loopback address, else off.</summary>
    public bool? Reflection { get; set; }

    /// <summary><c>HealthCheckSeconds</c>: how often <c>grpc.health.v1.Health/Watch</c> re-runs the health checks. Default 5.</summary>
    public double HealthCheckSeconds { get; set; } = 5;

    /// <summary><c>CertificateFile</c>: PEM certificate (chain) of the server; set it with CertificateKeyFile to serve TLS instead of h2c. Default empty.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary><c>CertificateKeyFile</c>: PEM private key of CertificateFile. Default empty.</summary>
    public string CertificateKeyFile { get; set; } = "";

    /// <summary><c>ClientCaFile</c>: PEM CA certificate; when set, clients must present a certificate it signed (mutual TLS). Default empty.</summary>
    public string ClientCaFile { get; set; } = "";
}

/// <summary>The gRPC settings after <see cref="AggregatorOptions.ValidateGrpc"/>.</summary>
/// <param name="MaxReceiveMessageSize">The receive limit in bytes.</param>
/// <param name="MaxStreamsPerConnection">Concurrent streams per HTTP/2 connection.</param>
/// <param name="MaxConnections">Concurrent connections, or null for no limit.</param>
/// <param name="KeepAlivePing">Idle time before the server pings.</param>
/// <param name="KeepAliveTimeout">How long a ping may go unanswered.</param>
/// <param name="ResponseCompression">"gzip", or null for none.</param>
/// <param name="Reflection">Whether the reflection service is mapped.</param>
/// <param name="HealthCheckInterval">How often the health checks run for Watch.</param>
/// <param name="Tls">TLS (and mutual TLS), or null for h2c.</param>
public sealed record ValidatedGrpcOptions(int MaxReceiveMessageSize, int MaxStreamsPerConnection, long? MaxConnections, TimeSpan KeepAlivePing,
    TimeSpan KeepAliveTimeout, string? ResponseCompression, bool Reflection, TimeSpan HealthCheckInterval, GrpcServerTls? Tls)
{
    /// <summary>The defaults (what an empty <c>Aggregator:Grpc</c> section gives on a loopback endpoint).</summary>
    public static ValidatedGrpcOptions Default { get; } = new AggregatorOptions().ValidateGrpc();
}

/// <summary>The server's certificate and, for mutual TLS, the CA client certificates must chain to.</summary>
/// <param name="Certificate">The server certificate with its private key.</param>
/// <param name="ClientCa">The client CA, or null when clients need no certificate.</param>
public sealed record GrpcServerTls(X509Certificate2 Certificate, X509Certificate2? ClientCa);
