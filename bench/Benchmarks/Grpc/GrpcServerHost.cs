using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Hosting;

namespace SupplyOracle.Benchmarks.Grpc;

/// <summary>
/// Our server for <c>./bench.sh grpc</c>, run in its own process (as the grpc-js server is) so that client and server
/// never share a runtime: <c>SupplyOracle.Benchmarks grpc-server</c> prints "listening PORT" and serves until stopped.
/// Grpc.AspNetCore set up exactly as the aggregator's endpoint (<see cref="AggregatorWebHost"/> with the default
/// <c>Aggregator:Grpc</c> settings: the interceptor, limits, gzip offered), serving the benchmark services.
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
        var grpc = ValidatedGrpcOptions.Default;
        AggregatorWebHost.AddGrpcServices(builder.Services, grpc, health: null);
        builder.WebHost.ConfigureKestrel(k => AggregatorWebHost.ConfigureKestrel(k, new IPEndPoint(IPAddress.Loopback, 0), null, grpc));
        await using var app = builder.Build();
        app.MapGrpcService<BenchGossip>();
        app.MapGrpcService<BenchStatus>();
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
