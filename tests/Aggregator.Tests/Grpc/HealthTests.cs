using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Grpc;

/// <summary>
/// <c>grpc.health.v1.Health</c> (Grpc.AspNetCore.HealthChecks) fed by the aggregator's health checks: it follows a
/// PostgreSQL server of the test's own that is stopped and started again (Kubernetes gRPC probes and grpc_health_probe
/// ask exactly this).
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_PostgresStopsAndReturns_NotServingThenServingAgain()
    {
        await using var server = await PostgresServer.StartAsync(requireOwned: true);
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync());
        var grpc = ValidatedGrpcOptions.Default with { HealthCheckInterval = TimeSpan.FromSeconds(1) };
        await using var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, null, null,
            logging => logging.ClearProviders(), grpc, new AggregatorHealth(dataSource, null, () => "follower"));
        using var channel = GrpcChannel.ForAddress(host.Grpc);
        var health = new Health.HealthClient(channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: cts.Token)).Status);
        using var watch = health.Watch(new HealthCheckRequest { Service = "supplyoracle.v1.Gossip" }, cancellationToken: cts.Token);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await NextAsync(watch, cts.Token));

        await server.StopAsync(PostgresStopMode.Immediate);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await NextAsync(watch, cts.Token));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: cts.Token)).Status);

        await server.StartAgainAsync(cts.Token);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await NextAsync(watch, cts.Token));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: cts.Token)).Status);
    }

    [Fact]
    public async Task Health_UnknownService_NotFound()
    {
        await using var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, null, null, logging => logging.ClearProviders());
        using var channel = GrpcChannel.ForAddress(host.Grpc);
        var e = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> NextAsync(AsyncServerStreamingCall<HealthCheckResponse> watch, CancellationToken cancellationToken)
    {
        Assert.True(await watch.ResponseStream.MoveNext(cancellationToken));
        return watch.ResponseStream.Current.Status;
    }
}
