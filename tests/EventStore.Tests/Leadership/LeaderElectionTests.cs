using Npgsql;
using SupplyOracle.EventStore.Leadership;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Leadership;

public sealed class LeaderElectionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly LeaderElectionOptions s_fast = new()
    {
        RetryInterval = TimeSpan.FromMilliseconds(50),
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task AcquireAsync_LeaderConnectionKilled_LeaderSeesLossAndOtherTakesOver()
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        var name = $"transmitter-{Guid.NewGuid():N}";
        var first = await new LeaderElection(dataSource, name, s_fast).AcquireAsync(default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var second = new LeaderElection(dataSource, name, s_fast).AcquireAsync(timeout.Token);
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "two leaders at once");
        Assert.True(first.IsHeld);

        await using (var admin = new NpgsqlConnection(postgres.Server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin) { Parameters = { new NpgsqlParameter<int> { TypedValue = first.BackendProcessId } } };
            await kill.ExecuteScalarAsync();
        }

        await Task.Delay(Timeout.Infinite, first.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(first.IsHeld);
        await using var taken = await second;
        Assert.True(taken.IsHeld);
        await first.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_LeaderStepsDown_WaitingReplicaAcquires()
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        var name = $"stepdown-{Guid.NewGuid():N}";
        var first = await new LeaderElection(dataSource, name, s_fast).AcquireAsync(default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var second = new LeaderElection(dataSource, name, s_fast).AcquireAsync(timeout.Token);
        await Task.Delay(200);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await using var taken = await second;
        Assert.True(taken.IsHeld);
        Assert.False(first.IsHeld);
        await first.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task RunAsync_TwoReplicas_WorkNeverRunsTwiceAtOnce()
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        var name = $"once-{Guid.NewGuid():N}";
        var running = 0;
        var maxRunning = 0;
        var runs = 0;
        async Task Work(CancellationToken token)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            Interlocked.Increment(ref runs);
            try
            {
                await Task.Delay(150, CancellationToken.None);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Task.WhenAll(
            new LeaderElection(dataSource, name, s_fast).RunAsync(Work, stop.Token),
            new LeaderElection(dataSource, name, s_fast).RunAsync(Work, stop.Token));

        Assert.Equal(1, maxRunning);
        Assert.True(runs >= 2, $"only {runs} runs");
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        using var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        Assert.Throws<ArgumentException>(() => new LeaderElection(dataSource, " "));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeaderElection(dataSource, "x", new LeaderElectionOptions { HeartbeatInterval = TimeSpan.Zero }));
        using var multiplexed = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Multiplexing = true }.ConnectionString);
        var e = Assert.Throws<ArgumentException>(() => new LeaderElection(multiplexed, "x"));
        Assert.Contains("Multiplexing", e.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
