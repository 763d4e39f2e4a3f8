using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using Grpc.Net.Client;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// The query side as the aggregator runs it: <see cref="AggregatorQueryServices.StartAsync"/> on a real database and
/// the Kestrel host (query-only: no gossip), with a real gRPC channel and an HttpClient to call it.
/// </summary>
public sealed class QueryHost : IAsyncDisposable
{
    private QueryHost(QueryLog log, AggregatorQueryServices services, RunningHost host)
    {
        Log = log;
        Services = services;
        Host = host;
        Channel = GrpcChannel.ForAddress(host.Grpc);
        Status = new Protocol.V1.Status.StatusClient(Channel);
        Http = new HttpClient { BaseAddress = host.Http, Timeout = TimeSpan.FromSeconds(30) };
    }

    public QueryLog Log { get; }

    public AggregatorQueryServices Services { get; }

    public RunningHost Host { get; }

    public GrpcChannel Channel { get; }

    /// <summary>The generated Status client over <see cref="Channel"/>.</summary>
    public Protocol.V1.Status.StatusClient Status { get; }

    public HttpClient Http { get; }

    public static async Task<QueryHost> StartAsync(string connectionString, EthereumRpcClient? chain = null, long maxLag = 1_000, TimeProvider? time = null,
        SupplyOracle.Protocol.Deployment.OracleDeployment? deployment = null)
    {
        var log = await QueryLog.CreateAsync(connectionString, daemon: JasperFx.Events.Daemon.DaemonMode.HotCold);
        var options = new AggregatorOptions { Query = new QueryOptions { MaxLagEvents = maxLag, PollMilliseconds = 50 } }.ValidateQuery();
        var services = await AggregatorQueryServices.StartAsync(log.DataSource, log.Events, options, NullLoggerFactory.Instance, chain,
            deployment, time ?? TimeProvider.System, default);
        var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0), null, services,
            logging => logging.ClearProviders());
        return new QueryHost(log, services, host);
    }

    /// <summary>Waits until the running projection has applied everything appended so far.</summary>
    public async Task WaitCaughtUpAsync()
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        while ((await Services.Monitor.CheckAsync()).Projection.Lag != 0)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the projection did not catch up");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await Host.DisposeAsync();
        await Services.DisposeAsync();
        await Log.DisposeAsync();
    }
}
