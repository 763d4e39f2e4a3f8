using System.Net;
using System.Text.Json;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Query;

/// <summary>/readyz against a PostgreSQL server of the test's own (stopped and started again), a lag bound and a dead node.</summary>
public sealed class ReadinessTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync(QueryHost host)
    {
        using var response = await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Readyz_PostgresStoppedThenStartedAgain_UnreadyThenReady()
    {
        await using var server = await PostgresServer.StartAsync(requireOwned: true);
        await using var host = await QueryHost.StartAsync(await server.CreateDatabaseAsync());
        await StatusServiceTests.SeedAsync(host.Log);
        await host.WaitCaughtUpAsync();
        var (before, ready) = await ReadyzAsync(host);

        await server.StopAsync(PostgresStopMode.Fast);
        var (during, unready) = await ReadyzAsync(host);
        using var tokens = await host.Http.GetAsync(new Uri("/v1/tokens", UriKind.Relative));
        await server.StartAgainAsync();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        var (after, again) = await ReadyzAsync(host);
        while (after != HttpStatusCode.OK && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
            (after, again) = await ReadyzAsync(host);
        }

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.Equal(0, ready.GetProperty("projection").GetProperty("lag").GetInt64());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during);
        Assert.False(unready.GetProperty("ready").GetBoolean());
        Assert.False(unready.GetProperty("database").GetProperty("ok").GetBoolean());
        Assert.False(string.IsNullOrEmpty(unready.GetProperty("database").GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tokens.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.True(again.GetProperty("database").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task CheckAsync_ProjectionBehindBound_UnreadyUntilCaughtUp()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        using var monitor = new ProjectionMonitor(log.Store, log.DataSource, "eventstore", log.Projection.Name, maxLag: 2, chain: null, TimeProvider.System);
        await log.AppendAsync(Accepted(1, Addr(1), (Token(1), 5, 5)), Accepted(1, Addr(2), (Token(1), 5, 5)), Accepted(1, Addr(3), (Token(1), 5, 5)));

        var behind = await monitor.CheckAsync();
        await log.CatchUpAsync();
        var caughtUp = await monitor.CheckAsync();

        Assert.False(behind.Ready);
        Assert.Equal((3L, false), (behind.Projection.Lag!.Value, behind.Projection.Ok));
        Assert.True(behind.Database.Ok);
        Assert.True(caughtUp.Ready);
        Assert.Equal(0L, caughtUp.Projection.Lag);
        Assert.Null(caughtUp.Chain);
    }

    [Fact]
    public async Task CheckAsync_ChainUnreachable_UnreadyWithChainError()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        var deadNode = EthereumRpcClient.Connect(new Uri("http://127.0.0.1:9/"));
        using var monitor = new ProjectionMonitor(log.Store, log.DataSource, "eventstore", log.Projection.Name, 10, deadNode, TimeProvider.System);

        var report = await monitor.CheckAsync();

        Assert.False(report.Ready);
        Assert.True(report.Database.Ok);
        Assert.True(report.Projection.Ok);
        Assert.False(report.Chain!.Ok);
        Assert.False(string.IsNullOrEmpty(report.Chain.Error));
    }

    [Fact]
    public async Task CheckAsync_ChainReachable_Ready()
    {
        await using var anvil = await AnvilNode.StartAsync(new AnvilOptions(BlockTimeSeconds: null));
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync());
        var node = EthereumRpcClient.Connect(anvil.RpcUrl);
        using var monitor = new ProjectionMonitor(log.Store, log.DataSource, "eventstore", log.Projection.Name, 10, node, TimeProvider.System);

        var report = await monitor.CheckAsync();

        Assert.True(report.Ready);
        Assert.True(report.Chain!.Ok);
    }
}
