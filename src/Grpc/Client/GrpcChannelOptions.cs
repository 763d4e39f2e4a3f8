using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace SupplyOracle.Grpc.Client;

/// <summary>Client-side transport options.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>The server-required minimum between keepalive pings (grpc/grpc <c>doc/keepalive.md</c>: C-core and grpc-go
    /// answer faster pings with GOAWAY ENHANCE_YOUR_CALM "too_many_pings").</summary>
    public static readonly TimeSpan MinKeepAlivePingDelay = TimeSpan.FromMinutes(5);

    /// <summary>The largest response message accepted, in bytes (default 4 MiB); larger ones fail with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = SupplyOracle.Grpc.Internal.GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Interval of HTTP/2 keepalive pings while calls are active; at least 5 minutes; null disables pings.</summary>
    public TimeSpan? KeepAlivePingDelay { get; set; } = MinKeepAlivePingDelay;

    /// <summary>How long a ping may go unanswered before the connection is closed (C-core default 20 s).</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retry of unary and server-streaming calls that fail with UNAVAILABLE before any response; null disables.</summary>
    public GrpcRetryOptions? Retry { get; set; } = new();

    /// <summary>The clock used for deadlines and backoff.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Logger factory for retry messages; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>A client certificate (with private key) for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>Validates the server certificate; null uses the platform's chain validation.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>A handler to send requests with instead of the channel's own SocketsHttpHandler (the channel disposes it).</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting when a value is invalid.</summary>
    public void Validate()
    {
        if (MaxReceiveMessageSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReceiveMessageSize), MaxReceiveMessageSize, "GrpcChannelOptions.MaxReceiveMessageSize must be positive");
        }

        if (KeepAlivePingDelay is { } delay && delay < MinKeepAlivePingDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAlivePingDelay), delay,
                "GrpcChannelOptions.KeepAlivePingDelay must be at least 5 minutes: servers answer faster pings with GOAWAY ENHANCE_YOUR_CALM (grpc doc/keepalive.md)");
        }

        if (KeepAlivePingTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepAlivePingTimeout), KeepAlivePingTimeout, "GrpcChannelOptions.KeepAlivePingTimeout must be positive");
        }

        Retry?.Validate();
    }
}

/// <summary>
/// Exponential backoff with full jitter, as in gRPC's retry design (grpc/proposal A6): attempt n waits
/// <c>random(0, min(InitialBackoff * Multiplier^(n-1), MaxBackoff))</c>.
/// </summary>
public sealed class GrpcRetryOptions
{
    /// <summary>Total attempts including the first (2 to 5, as A6 caps it).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The backoff ceiling before the first retry.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest backoff ceiling.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The growth factor of the ceiling per attempt.</summary>
    public double BackoffMultiplier { get; set; } = 2.0;

    internal TimeSpan Ceiling(int retry) =>
        TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks * Math.Pow(BackoffMultiplier, retry - 1)));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting when a value is invalid.</summary>
    public void Validate()
    {
        if (MaxAttempts is < 2 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "GrpcRetryOptions.MaxAttempts must be 2..5 (grpc/proposal A6)");
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialBackoff), InitialBackoff, "GrpcRetryOptions: InitialBackoff must be positive and at most MaxBackoff");
        }

        if (BackoffMultiplier < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffMultiplier), BackoffMultiplier, "GrpcRetryOptions.BackoffMultiplier must be at least 1");
        }
    }
}
