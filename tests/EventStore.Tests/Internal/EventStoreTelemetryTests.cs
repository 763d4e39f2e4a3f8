using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Internal;

public sealed class EventStoreTelemetryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Meter_AppendsConflictsAndLag_RecordedUnderSpecifiedNames()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_metrics" });
        var sums = new ConcurrentDictionary<string, double>();
        var units = new ConcurrentDictionary<string, string?>();
        var lag = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "SupplyOracle.EventStore")
            {
                units[instrument.Name] = instrument.Unit;
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "supplyoracle.projection.lag")
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "projection" && tag.Value is string projection)
                    {
                        lag[projection] = value;
                    }
                }
            }
            else
            {
                sums.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => sums.AddOrUpdate(instrument.Name + ".count", 1, (_, old) => old + 1));
        listener.Start();

        await t.Store.AppendAsync(new StreamId("m"), ExpectedVersion.NoStream, TestStore.Events(7));
        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => t.Store.AppendAsync(new StreamId("m"), ExpectedVersion.NoStream, TestStore.Events(1)));
        // Hold the subscription inside its second batch: it has read head 7 and committed checkpoint 3.
        var gate = new GateProjection();
        var subscription = new CatchUpSubscription(t.DataSource, gate, new SubscriptionOptions { Schema = t.Schema, BatchSize = 3 });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = subscription.RunAsync(stop.Token);
        await gate.SecondBatch.Task.WaitAsync(stop.Token);
        listener.RecordObservableInstruments();
        gate.Release.SetResult();
        await stop.CancelAsync();
        await run;

        Assert.True(sums.GetValueOrDefault("supplyoracle.eventstore.events.appended") >= 7);
        Assert.True(sums.GetValueOrDefault("supplyoracle.eventstore.append.conflicts") >= 1);
        Assert.True(sums.GetValueOrDefault("supplyoracle.eventstore.append.duration.count") >= 2);
        Assert.Equal("s", units["supplyoracle.eventstore.append.duration"]);
        Assert.Equal("{event}", units["supplyoracle.eventstore.events.appended"]);
        Assert.Equal(4L, lag["gate"]);
    }

    private sealed class GateProjection : IProjection
    {
        public TaskCompletionSource SecondBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "gate";

        public IReadOnlyList<string> Tables => ["gate_unused"];

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
        {
            if (events[0].Position == 4)
            {
                SecondBatch.SetResult();
                await Release.Task;
            }
        }
    }
}
