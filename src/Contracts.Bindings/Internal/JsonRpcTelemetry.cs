using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace SupplyOracle.Contracts.Bindings.Internal;

/// <summary>
/// The JSON-RPC client's one Meter and ActivitySource (named like the namespace, STYLE.md habit 8): a request duration
/// histogram in seconds by method, and errors by JSON-RPC code or transport failure.
/// </summary>
internal static class JsonRpcTelemetry
{
    internal const string Name = "SupplyOracle.Contracts.Bindings.JsonRpc";

    internal static readonly ActivitySource ActivitySource = new(Name, "1.0.0");
    private static readonly Meter s_meter = new(Name, "1.0.0");

    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram<double>(
        "supplyoracle.jsonrpc.request.duration", unit: "s", description: "Duration of JSON-RPC requests (a batch counts once, as method 'batch').",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Counter<long> s_errors = s_meter.CreateCounter<long>(
        "supplyoracle.jsonrpc.errors", unit: "{error}", description: "JSON-RPC errors by code, and transport failures by kind.");

    internal static void RecordDuration(string method, double seconds, string outcome) =>
        s_duration.Record(seconds, new KeyValuePair<string, object?>("rpc.method", method), new KeyValuePair<string, object?>("outcome", outcome));

    internal static void RecordError(string method, int code) =>
        s_errors.Add(1, new KeyValuePair<string, object?>("rpc.method", method),
            new KeyValuePair<string, object?>("rpc.jsonrpc.error_code", code.ToString(CultureInfo.InvariantCulture)));

    internal static void RecordTransportFailure(string method, string failure) =>
        s_errors.Add(1, new KeyValuePair<string, object?>("rpc.method", method), new KeyValuePair<string, object?>("error.type", failure));
}
