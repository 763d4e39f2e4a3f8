using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupplyOracle.Protocol.Internal;

/// <summary>
/// The protocol layer's one Meter and ActivitySource (named like the namespace, STYLE.md habit 8): verification
/// verdicts by message kind and result (accepted, or the proto reject reason / refusal reason: low cardinality), and
/// the duration of oracle state reads in seconds.
/// </summary>
internal static class ProtocolTelemetry
{
    internal const string Name = "SupplyOracle.Protocol";

    internal static readonly ActivitySource ActivitySource = new(Name, "1.0.0");
    private static readonly Meter s_meter = new(Name, "1.0.0");

    private static readonly Counter<long> s_verifications = s_meter.CreateCounter<long>(
        "supplyoracle.protocol.verifications", unit: "{message}",
        description: "Verified messages by kind (batch, attestation, proposal) and result (accepted or the reason).");

    private static readonly Histogram<double> s_stateRead = s_meter.CreateHistogram<double>(
        "supplyoracle.protocol.state_read.duration", unit: "s", description: "Duration of oracle state snapshot reads (two JSON-RPC round trips).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    internal static void Verified(string kind, string result) =>
        s_verifications.Add(1, new KeyValuePair<string, object?>("message.kind", kind), new KeyValuePair<string, object?>("result", result));

    internal static void StateRead(double seconds, string outcome) =>
        s_stateRead.Record(seconds, new KeyValuePair<string, object?>("outcome", outcome));
}
