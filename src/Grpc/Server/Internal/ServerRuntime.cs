using Microsoft.Extensions.Logging;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>What every call handler of one server shares: options, clock, logger, and the application's stopping signal.</summary>
internal sealed class ServerRuntime(GrpcServerOptions options, TimeProvider timeProvider, ILogger logger, CancellationToken stopping = default)
{
    /// <summary>Cancelled when the host begins to stop: streaming calls then end with UNAVAILABLE instead of holding up shutdown.</summary>
    public CancellationToken Stopping { get; } = stopping;

    public int MaxReceiveMessageSize { get; } = options.MaxReceiveMessageSize;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger Logger { get; } = logger;
}
