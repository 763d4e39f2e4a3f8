namespace SupplyOracle.Grpc.Server;

/// <summary>A handler object does not implement a method of the proto service it is registered for.</summary>
public sealed class GrpcServiceBindingException(string service, string method, string reason)
    : Exception($"Cannot bind {service}/{method}: {reason}")
{
    /// <summary>The full name of the proto service.</summary>
    public string Service { get; } = service;

    /// <summary>The proto method name.</summary>
    public string Method { get; } = method;
}
