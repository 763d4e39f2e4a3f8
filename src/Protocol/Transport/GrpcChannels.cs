using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace SupplyOracle.Protocol.Transport;

/// <summary>
/// Channels as the project's clients make them (grpc-dotnet over <see cref="SocketsHttpHandler"/>): h2c for
/// <c>http://</c>, TLS for <c>https://</c> (optionally with a client certificate and a private CA), several HTTP/2
/// connections when one is full, keepalive pings only while calls are active and never more often than every
/// 5 minutes (grpc doc/keepalive.md: servers answer faster pings with GOAWAY too_many_pings), the 4 MiB receive limit,
/// gzip accepted on responses (grpc-dotnet's default providers), and <see cref="ClientCallInterceptor"/> on every call.
/// </summary>
public static class GrpcChannels
{
    /// <summary>The receive limit of grpc-dotnet and grpc-go (REFERENCES.md "Message size").</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Opens a channel to <paramref name="address"/>; dispose it when done.</summary>
    public static GrpcChannel Create(Uri address, GrpcClientTls? tls = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromMinutes(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (tls is not null)
        {
            handler.SslOptions = tls.ToSslOptions();
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = DefaultMaxReceiveMessageSize,
            LoggerFactory = loggerFactory,
        });
    }

    /// <summary>The channel's invoker with <see cref="ClientCallInterceptor"/> (what the generated clients take).</summary>
    public static CallInvoker WithCallMetrics(this ChannelBase channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.Intercept(ClientCallInterceptor.Instance);
    }
}

/// <summary>
/// Client-side TLS: the CA that signed the server's certificate (null: the system's trust store) and, for mutual TLS,
/// the client's own certificate with its private key.
/// </summary>
public sealed record GrpcClientTls(X509Certificate2? TrustedCa = null, X509Certificate2? ClientCertificate = null)
{
    internal SslClientAuthenticationOptions ToSslOptions()
    {
        var options = new SslClientAuthenticationOptions();
        if (ClientCertificate is not null)
        {
            options.ClientCertificates = [ClientCertificate];
        }

        if (TrustedCa is not null)
        {
            var ca = TrustedCa;
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }

        return options;
    }
}
