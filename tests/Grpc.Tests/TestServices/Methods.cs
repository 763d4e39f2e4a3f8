using Google.Protobuf.Reflection;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.TestServices;

/// <summary>Client-side methods of grpctest.v1.Echo, from its descriptor.</summary>
public static class EchoMethods
{
    private static readonly ServiceDescriptor s_service = EchoReflection.Descriptor.Services[0];

    public static readonly GrpcMethod<EchoRequest, EchoResponse> Unary = GrpcMethod<EchoRequest, EchoResponse>.Create(s_service.FindMethodByName("Unary"));
    public static readonly GrpcMethod<EchoRequest, EchoResponse> ServerStream = GrpcMethod<EchoRequest, EchoResponse>.Create(s_service.FindMethodByName("ServerStream"));
    public static readonly GrpcMethod<EchoRequest, EchoResponse> ClientStream = GrpcMethod<EchoRequest, EchoResponse>.Create(s_service.FindMethodByName("ClientStream"));
    public static readonly GrpcMethod<EchoRequest, EchoResponse> Bidi = GrpcMethod<EchoRequest, EchoResponse>.Create(s_service.FindMethodByName("Bidi"));
}

/// <summary>Runs every test of a class against a fresh server.</summary>
public abstract class ServerTestBase : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    protected GrpcChannel Channel { get; private set; } = null!;

    protected virtual Task<TestServer> StartServerAsync() => TestServer.StartAsync();

    public async Task InitializeAsync()
    {
        Server = await StartServerAsync();
        Channel = Server.Channel();
    }

    public virtual async Task DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}
