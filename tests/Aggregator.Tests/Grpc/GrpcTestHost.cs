using System.Net;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Aggregator.Tests.Support;

namespace SupplyOracle.Aggregator.Tests.Grpc;

/// <summary>
/// The aggregator's gRPC endpoint as <c>run</c> builds it (<see cref="AggregatorWebHost"/>): the Status service over the
/// query side on <paramref name="DataSource"/>'s database and, with an <see cref="IntakeNetwork"/>, the gossip service
/// over the real intake (anvil); health, reflection and limits from <see cref="ValidatedGrpcOptions"/>.
/// </summary>
public sealed record GrpcTestHost(RunningHost Host, AggregatorQueryServices Query, GrpcChannel Channel, NpgsqlDataSource DataSource) : IAsyncDisposable
{
    /// <summary>The gRPC address.</summary>
    public Uri Grpc => Host.Grpc;

    public static async Task<GrpcTestHost> StartAsync(NpgsqlDataSource dataSource, AggregatorEventStore events, IntakeNetwork? network = null, ValidatedGrpcOptions? grpc = null,
        AggregatorHealth? health = null, ILoggerProvider? logs = null)
    {
        var options = new AggregatorOptions { Query = new QueryOptions { PollMilliseconds = 50 } }.ValidateQuery();
        var query = await AggregatorQueryServices.StartAsync(dataSource, events, options, NullLoggerFactory.Instance, null, null, TimeProvider.System, default);
        using var loggerFactory = LoggerFactory.Create(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
            }
        });
        var gossip = network is null ? null : new GossipService(network.CreateIntake(), NullLoggerFactory.Instance);
        var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, gossip, query,
            b =>
            {
                b.ClearProviders();
                if (logs is not null)
                {
                    b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
                }
            }, grpc, health);
        var channel = GrpcChannel.ForAddress(host.Grpc);
        return new GrpcTestHost(host, query, channel, dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Host.DisposeAsync();
        await Query.DisposeAsync();
    }
}
