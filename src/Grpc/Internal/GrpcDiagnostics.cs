using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupplyOracle.Grpc.Internal;

/// <summary>
/// The transport's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, named like the namespace. Metrics follow
/// the OpenTelemetry RPC semantic conventions (release candidate): <c>rpc.server.call.duration</c> and
/// <c>rpc.client.call.duration</c> in seconds, with <c>rpc.system.name</c>, <c>rpc.method</c> and
/// <c>rpc.response.status_code</c>; spans are named <c>pkg.Service/Method</c>.
/// </summary>
internal static class GrpcDiagnostics
{
    public const string Name = "SupplyOracle.Grpc";
    public const string Version = "1.0.0";

    public static readonly ActivitySource ActivitySource = new(Name, Version);
    public static readonly Meter Meter = new(Name, Version);

    // Bucket advice for fast calls (the default buckets start at 0 and step by whole seconds).
    private static readonly double[] s_buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    public static readonly Histogram<double> ServerDuration = Meter.CreateHistogram<double>(
        "rpc.server.call.duration", "s", "Duration of gRPC calls handled by this server.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets });

    public static readonly Histogram<double> ClientDuration = Meter.CreateHistogram<double>(
        "rpc.client.call.duration", "s", "Duration of gRPC calls made by this client.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets });

    public static void Record(Histogram<double> histogram, string method, StatusCode status, TimeSpan elapsed)
    {
        if (!histogram.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "rpc.system.name", "grpc" },
            { "rpc.method", method },
            { "rpc.response.status_code", GrpcProtocol.StatusName(status) },
        };
        histogram.Record(elapsed.TotalSeconds, tags);
    }

    public static void SetStatus(Activity? activity, StatusCode status, string? detail)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("rpc.system.name", "grpc");
        activity.SetTag("rpc.response.status_code", GrpcProtocol.StatusName(status));
        if (status != StatusCode.OK)
        {
            activity.SetStatus(ActivityStatusCode.Error, detail);
        }
    }
}
