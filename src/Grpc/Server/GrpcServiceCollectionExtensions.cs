using Microsoft.Extensions.DependencyInjection;

namespace SupplyOracle.Grpc.Server;

/// <summary>Service registration of the gRPC server transport.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>Registers the transport's options (validated at start) with the service collection.</summary>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GrpcServerOptions>().Configure(o => configure?.Invoke(o)).Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.AddRouting();
        return services;
    }
}
