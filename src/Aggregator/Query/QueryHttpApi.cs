using System.Globalization;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Query.Internal;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// The query projection as JSON over HTTP (README "Aggregator query API"), plus <c>/healthz</c> (liveness: the process
/// answers) and <c>/readyz</c> (database reachable, projection lag under the bound, chain reachable when configured;
/// 503 when not ready). Errors are <c>{"error": {"code": ..., "message": ...}}</c> with 400 for malformed input, 404 for
/// unknown ids and 503 when the database is unreachable.
/// </summary>
public static class QueryHttpApi
{
    /// <summary>Maps the routes on <paramref name="app"/>.</summary>
    /// <param name="app">The routes.</param>
    /// <param name="reader">The projection.</param>
    /// <param name="monitor">Readiness.</param>
    /// <param name="chain">The oracle at the chain head (ages, stale flags, pauses), or null when the aggregator has no chain.</param>
    /// <param name="audit">Round audits (<c>/v1/rounds/{round}/audit</c>), or null when the aggregator has no deployment to name.</param>
    public static void MapQueryHttpApi(this IEndpointRouteBuilder app, QueryReader reader, ProjectionMonitor monitor, OracleChainView? chain,
        RoundAuditReader? audit)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(monitor);
        app.MapGet("/healthz", () => Json(new { status = "ok" }));
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            var report = await monitor.CheckAsync(ct).ConfigureAwait(false);
            return Json(report, report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/v1/tokens", (CancellationToken ct) => Guard(async () =>
        {
            var (oracle, tokens) = await OracleChainView.JudgeAsync(chain, await reader.ListTokensAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            return Json(new { oracle = OracleJson(oracle), tokens });
        }));
        app.MapGet("/v1/tokens/{address}", (string address, CancellationToken ct) => Guard(async () =>
        {
            if (!TryAddress(address, out var token, out var bad))
            {
                return bad;
            }

            if (await reader.GetTokenAsync(token, ct).ConfigureAwait(false) is not { } view)
            {
                return UnknownToken(token);
            }

            var (_, judged) = await OracleChainView.JudgeAsync(chain, [view], ct).ConfigureAwait(false);
            return Json(judged[0]);
        }));
        app.MapGet("/v1/tokens/{address}/history", (string address, CancellationToken ct) => Guard(async () =>
            TryAddress(address, out var token, out var bad)
                ? await reader.GetTokenHistoryAsync(token, QueryReader.MaxRounds, ct).ConfigureAwait(false) is { } history ? Json(new { token, history }) : UnknownToken(token)
                : bad));
        app.MapGet("/v1/reporters", (CancellationToken ct) => Guard(async () => Json(new { reporters = await reader.ListReportersAsync(ct).ConfigureAwait(false) })));
        app.MapGet("/v1/rounds", (HttpRequest request, CancellationToken ct) => Guard(async () =>
        {
            if (!TryQueryNumber(request, "limit", 1, QueryReader.MaxRounds, QueryReader.DefaultRounds, out var limit, out var bad)
                || !TryQueryNumber(request, "before", 1, long.MaxValue, 0, out var before, out bad))
            {
                return bad;
            }

            return Json(new { rounds = await reader.ListRoundsAsync(before == 0 ? null : (ulong)before, (int)limit, ct).ConfigureAwait(false) });
        }));
        // The audit trail of one round (README "Round audit"): what a third party needs to check it end to end.
        app.MapGet("/v1/rounds/{round}/audit", (string round, CancellationToken ct) => Guard(() => AuditAsync(audit, round, ct)));
        app.MapGet("/v1/rounds/{round}", (string round, CancellationToken ct) => Guard(async () =>
        {
            if (!ulong.TryParse(round, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return Error(StatusCodes.Status400BadRequest, "bad_round", $"round must be an unsigned decimal integer; got '{round}'");
            }

            return await reader.GetRoundAsync(number, ct).ConfigureAwait(false) is { } detail
                ? Json(new { round = detail.Round, timeline = detail.Timeline })
                : Error(StatusCodes.Status404NotFound, "not_found", $"round {number} is not known to this aggregator");
        }));
    }

    /// <summary>
    /// Answers a request no route served (HTTP 404 with no body) with the documented envelope,
    /// <c>{"error": {"code": "not_found", ...}}</c>. gRPC requests (content type <c>application/grpc</c>) are left to
    /// the gRPC transport, which answers them UNIMPLEMENTED. Call before the endpoints run (before <c>Map...</c>).
    /// </summary>
    public static IApplicationBuilder UseJsonNotFound(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            var response = context.Response;
            if (response.StatusCode == StatusCodes.Status404NotFound && !response.HasStarted && response.ContentType is null
                && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
            {
                await Error(StatusCodes.Status404NotFound, "not_found",
                    $"no such resource: {context.Request.Method} {context.Request.Path}; the API is under /v1 (README \"Aggregator query API\")").ExecuteAsync(context).ConfigureAwait(false);
            }
        });
    }

    private static async Task<IResult> AuditAsync(RoundAuditReader? audit, string round, CancellationToken ct)
    {
        if (!ulong.TryParse(round, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Error(StatusCodes.Status400BadRequest, "bad_round", $"round must be an unsigned decimal integer; got '{round}'");
        }

        if (audit is null)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", "this aggregator serves no round audits (no deployment configured)");
        }

        return await audit.ReadAsync(number, ct).ConfigureAwait(false) is { } found
            ? Results.Text(RoundAuditJson.ToJson(found).ToJsonString(), "application/json", System.Text.Encoding.UTF8)
            : Error(StatusCodes.Status404NotFound, "not_found", $"round {number} is not known to this aggregator");
    }

    private static bool TryAddress(string text, out Address address, out IResult bad)
    {
        bad = Results.Empty;
        if (Address.TryParse(text, out address))
        {
            return true;
        }

        bad = Error(StatusCodes.Status400BadRequest, "bad_address", $"'{text}' is not a 0x-prefixed 20-byte hex address (mixed case must be a valid EIP-55 checksum)");
        return false;
    }

    private static bool TryQueryNumber(HttpRequest request, string name, long min, long max, long fallback, out long value, out IResult bad)
    {
        bad = Results.Empty;
        value = fallback;
        if (!request.Query.TryGetValue(name, out var values))
        {
            return true;
        }

        if (values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        bad = Error(StatusCodes.Status400BadRequest, "bad_" + name, $"{name} must be one integer from {min} to {max}; got '{values}'");
        return false;
    }

    // The oracle-wide state the token flags were judged at: the block, its time, reportStaleAfter and the global pause.
    private static object? OracleJson(OracleChainStatus? chain) => chain is null
        ? null
        : new { block = chain.Block, chain_time = chain.BlockTime, report_stale_after = chain.ReportStaleAfter, paused = chain.Paused };

    private static IResult UnknownToken(Address token) =>
        Error(StatusCodes.Status404NotFound, "not_found", $"token {token} is not known to this aggregator");

    private static IResult Error(int status, string code, string message) => Json(new { error = new { code, message } }, status);

    private static IResult Json(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, QueryJson.Options, "application/json", status);

    // The one place query errors become HTTP statuses: an unreachable database is 503.
    private static async Task<IResult> Guard(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (QueryUnavailableException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "the aggregator's database is unavailable; try again");
        }
    }
}
