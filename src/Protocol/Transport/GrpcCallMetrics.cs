using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace SupplyOracle.Protocol.Transport;

/// <summary>
/// The call-duration histograms of the RPC semantic conventions (release candidate; REFERENCES.md "OpenTelemetry",
/// "gRPC"): <c>rpc.server.call.duration</c> and <c>rpc.client.call.duration</c> in seconds with <c>rpc.system.name</c>,
/// <c>rpc.method</c> (<c>pkg.Service/Method</c>) and <c>rpc.response.status_code</c> (the status name, e.g. <c>OK</c>).
/// Meter <see cref="MeterName"/>. Spans and <c>traceparent</c> come from ASP.NET Core (server) and HttpClient (client),
/// which grpc-dotnet runs on; nothing here duplicates them.
/// </summary>
public static class GrpcCallMetrics
{
    /// <summary>The meter's name (add it to a MeterProvider to export).</summary>
    public const string MeterName = "SupplyOracle.Protocol.Transport";

    // Calls range from sub-millisecond unary submits to hour-long streams.
    private static readonly double[] s_buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

    private static readonly Meter s_meter = new(MeterName, "1.0");

    private static readonly Histogram<double> s_server = s_meter.CreateHistogram("rpc.server.call.duration", "s",
        "Duration of gRPC calls served, from the handler's start to its status", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets });

    private static readonly Histogram<double> s_client = s_meter.CreateHistogram("rpc.client.call.duration", "s",
        "Duration of gRPC calls made, from the start to the status", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets });

    /// <summary><c>/pkg.Service/Method</c> (the HTTP/2 path) → <c>pkg.Service/Method</c>.</summary>
    public static string MethodName(string path) => path.StartsWith('/') ? path[1..] : path;

    internal static void RecordServer(string path, StatusCode code, TimeSpan elapsed) => Record(s_server, path, code, elapsed);

    internal static void RecordClient(string fullName, StatusCode code, TimeSpan elapsed) => Record(s_client, fullName, code, elapsed);

    private static void Record(Histogram<double> histogram, string path, StatusCode code, TimeSpan elapsed)
    {
        if (!histogram.Enabled)
        {
            return;
        }

        histogram.Record(elapsed.TotalSeconds, new TagList
        {
            { "rpc.system.name", "grpc" },
            { "rpc.method", MethodName(path) },
            { "rpc.response.status_code", StatusName(code) },
        });
    }

    // grpc doc/statuscodes.md names, as the semantic conventions spell them.
    private static string StatusName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
