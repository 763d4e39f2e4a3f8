using System.Diagnostics.Metrics;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.JsonRpc;

public sealed class JsonRpcTelemetryTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task SendAsync_SuccessAndError_RecordDurationInSecondsAndErrorByCode()
    {
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "SupplyOracle.Contracts.Bindings.JsonRpc")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        var client = Chain.Client(anvil.Node);

        await client.BlockNumberAsync();
        await Assert.ThrowsAsync<JsonRpcException>(() => client.SendAsync("no_such_method", CancellationToken.None));

        lock (measurements)
        {
            var duration = measurements.First(m => m.Instrument == "supplyoracle.jsonrpc.request.duration" && (string?)m.Tags["rpc.method"] == "eth_blockNumber");
            Assert.InRange(duration.Value, 0, 30);
            var error = measurements.First(m => m.Instrument == "supplyoracle.jsonrpc.errors" && (string?)m.Tags["rpc.method"] == "no_such_method");
            Assert.Equal("-32601", error.Tags["rpc.jsonrpc.error_code"]);
        }

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, copy));
            }
        }
    }
}
