using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Hosting;

namespace SupplyOracle.Grpc.Server;

/// <summary>TLS settings of a gRPC endpoint; with <see cref="ClientCertificateMode.RequireCertificate"/> it is mutual TLS.</summary>
public sealed class GrpcTlsOptions
{
    /// <summary>The server's certificate, with its private key.</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>Whether clients present certificates; default none.</summary>
    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.NoCertificate;

    /// <summary>Validates a client certificate (mutual TLS); null uses the platform's chain validation.</summary>
    public Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? ClientCertificateValidation { get; init; }
}

/// <summary>Kestrel set-up for gRPC endpoints (REFERENCES.md ".NET plumbing without Grpc.AspNetCore").</summary>
public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Listens for gRPC on <paramref name="endPoint"/>: cleartext endpoints speak HTTP/2 only (h2c with prior knowledge,
    /// since HTTP/1.1 and HTTP/2 can only be negotiated by TLS ALPN); TLS endpoints offer HTTP/1.1 and HTTP/2 through
    /// ALPN so that an HTTP/1.1 client gets a clear 426 instead of a failed handshake. Also lifts Kestrel's request body
    /// size and data-rate limits, which would cut long-lived streams.
    /// </summary>
    public static KestrelServerOptions ListenGrpc(this KestrelServerOptions kestrel, IPEndPoint endPoint, GrpcTlsOptions? tls = null,
        Action<ListenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(endPoint);
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MaxRequestBodySize = null;
        kestrel.Listen(endPoint, listen =>
        {
            if (tls is null)
            {
                listen.Protocols = HttpProtocols.Http2;
            }
            else
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = tls.ServerCertificate,
                    ClientCertificateMode = tls.ClientCertificateMode,
                    ClientCertificateValidation = tls.ClientCertificateValidation,
                });
            }

            configure?.Invoke(listen);
        });
        return kestrel;
    }
}
