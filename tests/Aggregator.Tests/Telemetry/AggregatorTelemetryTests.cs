using System.Diagnostics;
using System.Diagnostics.Metrics;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Telemetry;

/// <summary>The aggregator's instruments and spans, observed with MeterListener and ActivityListener.</summary>
public sealed class AggregatorTelemetryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task ObservableInstruments_ProjectedLog_NamesUnitsTagsAndValues()
    {
        // A schema of its own gives the projection a name of its own: other test classes' monitors report beside it.
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync(), "q_metrics");
        await log.AppendAsync(
            Accepted(7, Addr(1), (Token(1), 5, 5)),
            Proposed(7, (Token(1), 5, 5, UpdateStatus.Commit)), Intended(7, Addr(1), Addr(2), Addr(3)), Confirmed(7),
            new RoundAbandoned(8, "nothing to propose"), new RoundAbandoned(9, "nothing to propose"));
        await log.AppendAsync(new RoundOpened(9, 36, 37, 1_700_000_000, 5));
        await log.CatchUpAsync();
        await log.AppendAsync(new RoundAbandoned(10, "not yet projected"));
        using var monitor = new ProjectionMonitor(log.Store, log.DataSource, "eventstore", log.Projection.Name, 100, null, TimeProvider.System);
        await monitor.CheckAsync();
        var measurements = new List<(string Name, string? Unit, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AggregatorTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault(AggregatorTelemetry.ProjectionAttribute), "aggregator-query-documents-q-metrics"))
            {
                measurements.Add((instrument.Name, instrument.Unit, value, map));
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        long Value(string name, string? outcome = null) =>
            measurements.Single(m => m.Name == name && (outcome is null || Equals(m.Tags.GetValueOrDefault(AggregatorTelemetry.OutcomeAttribute), outcome))).Value;
        Assert.Equal(1, Value("supplyoracle.projection.lag"));
        Assert.Equal(7, Value("supplyoracle.rounds.last_committed"));
        Assert.Equal(1, Value("supplyoracle.rounds.ended", "confirmed"));
        Assert.Equal(2, Value("supplyoracle.rounds.ended", "abandoned"));
        Assert.Equal(0, Value("supplyoracle.rounds.ended", "superseded"));
        Assert.Equal(0, Value("supplyoracle.rounds.ended", "failed"));
        Assert.Equal(3, Value("supplyoracle.attestations"));
        Assert.Equal(1, Value("supplyoracle.query.events.ignored"));
        Assert.Equal("{event}", measurements.First(m => m.Name == "supplyoracle.projection.lag").Unit);
        Assert.Equal("{round}", measurements.First(m => m.Name == "supplyoracle.rounds.ended").Unit);

        monitor.Dispose();
        measurements.Clear();
        listener.RecordObservableInstruments();
        Assert.Empty(measurements); // a disposed monitor no longer reports
    }

    [Fact]
    public async Task ApplyAsync_Batch_ProjectionSpanWithEventCount()
    {
        await using var log = await CreateAsync(await postgres.Server.CreateDatabaseAsync(), "q_traces");
        await log.AppendAsync(Accepted(3, Addr(1), (Token(1), 5, 5)), new RoundAbandoned(3, "x"));
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AggregatorTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("supplyoracle.projection"), "aggregator-query-documents-q-traces"))
                {
                    lock (spans)
                    {
                        spans.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await log.CatchUpAsync();

        var span = Assert.Single(spans);
        Assert.Equal("projection.apply", span.OperationName);
        Assert.Equal(2, span.GetTagItem("supplyoracle.events"));
        Assert.Equal(await log.HeadAsync(), span.GetTagItem("supplyoracle.position"));
    }
}
