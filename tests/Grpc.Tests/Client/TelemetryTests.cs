using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.Client;

/// <summary>An Activity per call on both sides joined by traceparent, and call-duration histograms.</summary>
public sealed class TelemetryTests : ServerTestBase
{
    [Fact]
    public async Task Unary_WithListener_ClientAndServerSpansShareTraceAndDurationsRecorded()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "SupplyOracle.Grpc",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "SupplyOracle.Grpc")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        meters.Start();

        using var parent = new Activity("test-parent").Start();
        var traceId = parent.TraceId;
        await Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "traced" });
        parent.Stop();

        var client = Assert.Single(activities, a => a.Kind == ActivityKind.Client && a.TraceId == traceId);
        var server = Assert.Single(activities, a => a.Kind == ActivityKind.Server && a.TraceId == traceId);
        Assert.Equal("grpctest.v1.Echo/Unary", client.DisplayName);
        Assert.Equal(client.SpanId, server.ParentSpanId);
        Assert.Equal("OK", server.GetTagItem("rpc.response.status_code"));

        // Other test classes run in parallel and record too: look for this call's kind of measurement.
        var serverDuration = measurements.First(m => m.Instrument == "rpc.server.call.duration" && (string?)m.Tags["rpc.method"] == "grpctest.v1.Echo/Unary" && (string?)m.Tags["rpc.response.status_code"] == "OK");
        Assert.InRange(serverDuration.Value, 0, 10);
        Assert.Contains(measurements, m => m.Instrument == "rpc.client.call.duration" && (string?)m.Tags["rpc.system.name"] == "grpc");
    }
}
