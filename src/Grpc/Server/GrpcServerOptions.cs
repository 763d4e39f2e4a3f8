namespace SupplyOracle.Grpc.Server;

/// <summary>Server-side transport options.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>
    /// The largest request message accepted, in bytes; larger ones end the call with RESOURCE_EXHAUSTED. Default 4 MiB,
    /// as in grpc-dotnet and grpc-go.
    /// </summary>
    public int MaxReceiveMessageSize { get; set; } = SupplyOracle.Grpc.Internal.GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting when a value is invalid.</summary>
    public void Validate()
    {
        if (MaxReceiveMessageSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReceiveMessageSize), MaxReceiveMessageSize,
                "GrpcServerOptions.MaxReceiveMessageSize must be positive");
        }
    }
}
