
namespace SupplyOracle.Reporter.Health;

/// <summary>
/// <c>GET /health/live</c> (200 while the process serves) and <c>GET /health/ready</c> (200 when ready, else 503), both
/// JSON with the last round observed, signed and attested.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapReporterHealth(this IEndpointRouteBuilder endpoints, ReporterStatus status)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(status);
        endpoints.MapGet("/health/live", () => Results.Json(Body("live", status)));
        endpoints.MapGet("/health/ready", () => Results.Json(Body(status.Ready ? "ready" : "not-ready", status),
            statusCode: status.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }

    private static Dictionary<string, object?> Body(string state, ReporterStatus status) => new()
    {
        ["status"] = state,
        ["lastObservedRound"] = status.LastObserved,
        ["lastSignedRound"] = status.LastSigned,
        ["lastAttestedRound"] = status.LastAttested,
    };
}
