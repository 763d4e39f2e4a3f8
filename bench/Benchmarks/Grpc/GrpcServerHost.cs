using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Benchmarks.Grpc;

/// <summary>
/// Our server for <c>./bench.sh grpc</c>, run in its own process (as the grpc-js server is) so that client and server
/// never share a runtime: <c>SupplyOracle.Benchmarks grpc-server</c> prints "listening PORT" and serves until stopped.
/// </summary>
public sealed class GrpcServerHost : IBenchmark
{
    /// <inheritdoc />
    public string Name => "grpc-server";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpcTransport();
        builder.WebHost.ConfigureKestrel(k => k.ListenGrpc(new IPEndPoint(IPAddress.Loopback, 0)));
        await using var app = builder.Build();
        app.MapGrpcService(GossipReflection.Descriptor.Services[0], new BenchGossip());
        app.MapGrpcService(StatusReflection.Descriptor.Services[0], new BenchStatus());
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Console.WriteLine($"listening {new Uri(address).Port}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
