using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Google.Protobuf;
using Grpc.Core;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Protocol.Transport;
using SupplyOracle.Protocol.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Grpc;

/// <summary>
/// Telemetry of a gRPC call between our client and the aggregator: the caller's trace continues on the server (the
/// HttpClient under Grpc.Net.Client sends <c>traceparent</c>, ASP.NET Core's request activity reads it) and both sides
/// record the call-duration histograms of the RPC semantic conventions, in seconds.
/// </summary>
public sealed class TelemetryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string CallerSource = "SupplyOracle.Aggregator.Tests.Caller";
    private static readonly ActivitySource s_caller = new(CallerSource);

    [Fact]
    public async Task Call_WithinAnActivity_ServerContinuesTheTraceAndBothSidesRecordDurations()
    {
        var serverActivities = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or CallerSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Microsoft.AspNetCore")
                {
                    serverActivities.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == GrpcCallMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) =>
            measurements.Enqueue((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        meters.Start();
        await using var log = await QueryLog.CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await using var host = await GrpcTestHost.StartAsync(log.DataSource, log.Events);
        var client = new Protocol.V1.Status.StatusClient(host.Channel.WithCallMetrics());

        ActivityTraceId trace;
        using (var caller = s_caller.StartActivity("caller")!)
        {
            trace = caller.TraceId;
            var e = await Assert.ThrowsAsync<RpcException>(() =>
                client.GetTokenStateAsync(new GetTokenStateRequest { Token = ByteString.CopyFrom(new byte[20]) }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (!serverActivities.Any(a => a.TraceId == trace))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "no server activity continued the caller's trace");
            await Task.Delay(20);
        }

        foreach (var instrument in new[] { "rpc.server.call.duration", "rpc.client.call.duration" })
        {
            // Other test classes may call the same method meanwhile (the meter is process-wide): any matching record will do.
            var m = measurements.FirstOrDefault(m => m.Instrument == instrument && (string?)m.Tags["rpc.method"] == "supplyoracle.v1.Status/GetTokenState"
                && (string?)m.Tags["rpc.response.status_code"] == "NOT_FOUND");
            Assert.True(m.Instrument is not null, $"no {instrument} measurement for supplyoracle.v1.Status/GetTokenState NOT_FOUND");
            Assert.Equal("grpc", m.Tags["rpc.system.name"]);
            Assert.InRange(m.Value, 0, 10); // seconds
        }
    }
}
