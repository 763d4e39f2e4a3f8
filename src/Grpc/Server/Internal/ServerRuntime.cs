using Microsoft.Extensions.Logging;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>What every call handler of one server shares: options, clock, logger.</summary>
internal sealed class ServerRuntime(GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
{
    public int MaxReceiveMessageSize { get; } = options.MaxReceiveMessageSize;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger Logger { get; } = logger;
}
