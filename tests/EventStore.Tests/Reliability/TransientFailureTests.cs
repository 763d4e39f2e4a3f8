using Npgsql;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Reliability;

public sealed class TransientFailureTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task AppendAsync_ConnectionKilledMidTransaction_TransientErrorNothingCommittedAndRetrySucceeds()
    {
        var blocker = new BlockingProjection();
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString,
            new EventStoreOptions { Schema = "es_kill", InlineProjections = [blocker] });
        var events = TestStore.Events(5);

        var append = t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events);
        var pid = await blocker.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30)); // inside the transaction, positions drawn
        await using (var admin = new NpgsqlConnection(postgres.Server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin) { Parameters = { new NpgsqlParameter<int> { TypedValue = pid } } };
            Assert.True((bool)(await kill.ExecuteScalarAsync())!);
        }

        blocker.Release.SetResult();
        var error = await Assert.ThrowsAsync<EventStoreDatabaseException>(() => append);
        Assert.True(error.IsTransient, error.ToString());
        Assert.Equal(0L, await t.Store.ReadHeadPositionAsync());
        Assert.Equal(0L, await t.ScalarAsync<long>("SELECT count(*) FROM {s}.events"));

        blocker.Block = false;
        var retried = await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events);
        Assert.Equal(new AppendResult(4, 1, 5, false), retried);
    }

    [Fact]
    public async Task AppendAsync_ReplyLostAfterCommit_TransientErrorAndRetryReturnsOriginalResult()
    {
        await using var proxy = new CuttingProxy(postgres.Server.Port);
        // No reset on close: otherwise Npgsql prepends DISCARD ALL (with its own ReadyForQuery) to the next command on the
        // pooled connection, the proxy cuts after that answer, and the append may reach the server only afterwards.
        var viaProxy = new NpgsqlConnectionStringBuilder(postgres.ConnectionString)
        {
            Host = "127.0.0.1", Port = proxy.Port, MaxPoolSize = 1, SslMode = SslMode.Disable, NoResetOnClose = true,
        }.ConnectionString;
        await using var direct = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_unknown" });
        await using var t = await TestStore.CreateAsync(viaProxy, new EventStoreOptions { Schema = "es_unknown" }, maxPoolSize: 1);
        await t.Store.AppendAsync(new StreamId("other"), ExpectedVersion.NoStream, TestStore.Events(2)); // warms the one pooled connection
        var events = TestStore.Events(3);

        proxy.ArmCutOnNextReply();
        var error = await Assert.ThrowsAsync<EventStoreDatabaseException>(() => t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events));
        Assert.True(error.IsTransient, error.ToString());
        Assert.Equal(1, proxy.Cuts);
        Assert.Null(error.SqlState); // no answer from the server at all

        // The server did commit: the caller could not know. All or nothing, never a part.
        Assert.Equal(3L, await direct.ScalarAsync<long>(
            $"SELECT count(*) FROM {{s}}.events WHERE event_id IN ('{events[0].EventId}', '{events[1].EventId}', '{events[2].EventId}')"));

        var retried = await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events);
        Assert.Equal(new AppendResult(2, 3, 5, true), retried);
        Assert.Equal(5L, await direct.ScalarAsync<long>("SELECT count(*) FROM {s}.events"));
    }

    [Fact]
    public async Task AppendAsync_ReplyToCommitLost_RetryReturnsOriginalResultAndProjectionAppliedOnce()
    {
        await using var proxy = new CuttingProxy(postgres.Server.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, SslMode = SslMode.Disable }.ConnectionString;
        var projection = new ArmingProjection(proxy, new StreamCountProjection("commit_counts"));
        await using var t = await TestStore.CreateAsync(viaProxy, new EventStoreOptions { Schema = "es_commit", InlineProjections = [projection] }, maxPoolSize: 1);
        await StreamCountProjection.CreateTableAsync(t.DataSource, "commit_counts");
        var events = TestStore.Events(4);

        // The projection's own write is answered; then the proxy drops the answer to COMMIT.
        projection.ArmOnNextApply = true;
        var error = await Assert.ThrowsAsync<EventStoreDatabaseException>(() => t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events));
        Assert.True(error.IsTransient, error.ToString());
        Assert.Equal(1, proxy.Cuts);
        Assert.Equal(4L, await t.ScalarAsync<long>("SELECT count(*) FROM {s}.events")); // it did commit

        var retried = await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events);
        Assert.Equal(new AppendResult(3, 1, 4, true), retried);
        Assert.Equal(4L, await t.ScalarAsync<long>("SELECT events FROM commit_counts WHERE stream_id = 's'")); // not applied twice
    }

    /// <summary>Applies the inner projection, then (once) arms the proxy so the next reply, COMMIT's, is lost.</summary>
    private sealed class ArmingProjection(CuttingProxy proxy, IProjection inner) : IProjection
    {
        public bool ArmOnNextApply { get; set; }

        public string Name => inner.Name;

        public IReadOnlyList<string> Tables => inner.Tables;

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
        {
            await inner.ApplyAsync(context, events, cancellationToken);
            if (ArmOnNextApply)
            {
                ArmOnNextApply = false;
                proxy.ArmCutOnNextReply();
            }
        }
    }

    /// <summary>An inline projection that reports its backend and waits, so a test can act mid-transaction.</summary>
    private sealed class BlockingProjection : IProjection
    {
        public bool Block { get; set; } = true;

        public TaskCompletionSource<int> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "blocking";

        public IReadOnlyList<string> Tables => ["blocking_unused"];

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
        {
            if (!Block)
            {
                return;
            }

            Entered.SetResult(context.Connection.ProcessID);
            await Release.Task;
            await using var command = context.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
    }
}
