using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Gossip;

namespace SupplyOracle.Reporter.Health;

/// <summary>
/// <c>GET /health/live</c> (200 while the process serves) and <c>GET /health/ready</c>: 200 only while the node is
/// delivering (issue 19 item 3): it has read the chain, and at least one aggregator has a Connect stream up whose last
/// acknowledgement accepted our batch and on which no batch waits past
/// <see cref="AggregatorConnectionState.AcknowledgementTimeout"/>; else 503. Both answer JSON naming the reporter, each
/// aggregator's connection state and last acknowledgement (accepted or its reason), and the last round observed,
/// signed and attested.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapReporterHealth(this IEndpointRouteBuilder endpoints, ReporterStatus status, Address reporter,
        IReadOnlyList<AggregatorConnection> aggregators, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(aggregators);
        ArgumentNullException.ThrowIfNull(time);
        endpoints.MapGet("/health/live", () => Results.Json(Body("live", null, status, reporter, aggregators, time.GetUtcNow())));
        endpoints.MapGet("/health/ready", () =>
        {
            var now = time.GetUtcNow();
            var states = aggregators.Select(a => a.State()).ToList();
            var problem = !status.Ready ? "the chain has not been read yet"
                : states.Count == 0 ? "no aggregator is configured (Reporter:Gossip:Aggregators)"
                : !states.Any(s => s.Connected) ? "no aggregator stream is up"
                : !states.Any(s => s.Delivering(now)) ? "no aggregator accepts our batches (see lastAcknowledgement)"
                : null;
            return Results.Json(Body(problem is null ? "ready" : "not-ready", problem, status, reporter, aggregators, now),
                statusCode: problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private static Dictionary<string, object?> Body(string state, string? problem, ReporterStatus status, Address reporter,
        IReadOnlyList<AggregatorConnection> aggregators, DateTimeOffset now) => new()
    {
        ["status"] = state,
        ["problem"] = problem,
        ["reporter"] = reporter.ToString(),
        ["lastObservedRound"] = status.LastObserved,
        ["lastSignedRound"] = status.LastSigned,
        ["lastAttestedRound"] = status.LastAttested,
        ["aggregators"] = aggregators.Select(a => a.State()).Select(s => new Dictionary<string, object?>
        {
            ["url"] = s.Aggregator,
            ["state"] = s.Connected ? "connected" : "disconnected",
            ["delivering"] = s.Delivering(now),
            ["unacknowledged"] = s.Unacknowledged,
            ["lastAcknowledgement"] = s.LastAcknowledgement is not { } ack ? null : new Dictionary<string, object?>
            {
                ["round"] = ack.Round,
                ["result"] = ack.Accepted ? "accepted" : ack.Reason,
                ["message"] = ack.Message,
                ["at"] = ack.At,
            },
        }).ToList(),
    };
}
