using System.Globalization;
using SupplyOracle.Aggregator.Dashboard.Internal;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Dashboard;

/// <summary>
/// The read-only web dashboard (README "Dashboard"; issue 21) on the aggregator's HTTP endpoint: server-rendered pages
/// under <c>/dashboard</c> (Network, Tokens, Reporters, Rounds, Governance) that work without JavaScript, their
/// stylesheet and script from this assembly's embedded resources (nothing is fetched from elsewhere), and
/// <c>/dashboard/events</c>, a server-sent event stream (HTML Living Standard, "Server-sent events") that tells open
/// pages to refresh when the log moves or a pause changes on chain.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Where the stylesheet and script are served.</summary>
    public const string AssetPath = "/dashboard/assets";

    // Locks pages to this origin: no inline script, nothing from elsewhere (the SVG charts are inline markup, not script).
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (byte[] Body, string Type, string ETag)> Assets = LoadAssets();

    /// <summary>Maps the dashboard's routes; a null <paramref name="source"/> (<c>Aggregator:Dashboard:Enabled</c> false) maps nothing.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app, DashboardSource? source)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (source is null)
        {
            return app;
        }

        app.MapGet("/dashboard", Page((_, ct) => NetworkPage.RenderAsync(source, ct)));
        app.MapGet("/dashboard/tokens", Page((_, ct) => TokensPage.RenderListAsync(source, ct)));
        app.MapGet("/dashboard/tokens/{address}", Page(async (c, ct) =>
        {
            var address = (string)c.Request.RouteValues["address"]!;
            return !Address.TryParse(address, out var token)
                ? throw new PageProblem(StatusCodes.Status400BadRequest, $"'{address}' is not a 0x-prefixed 20-byte hex address (mixed case must be a valid EIP-55 checksum)")
                : await TokensPage.RenderOneAsync(source, token, ct).ConfigureAwait(false)
                    ?? throw new PageProblem(StatusCodes.Status404NotFound, $"token {token} is not known to this aggregator");
        }));
        app.MapGet("/dashboard/reporters", Page((_, ct) => ReportersPage.RenderAsync(source, ct)));
        app.MapGet("/dashboard/rounds", Page((c, ct) =>
        {
            ulong? before = null;
            if (c.Request.Query.TryGetValue("before", out var text))
            {
                before = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0
                    ? b
                    : throw new PageProblem(StatusCodes.Status400BadRequest, $"before must be a round number from 1; got '{text}'");
            }

            return RoundsPage.RenderListAsync(source, before, ct);
        }));
        app.MapGet("/dashboard/rounds/{round}", Page(async (c, ct) =>
        {
            var round = (string)c.Request.RouteValues["round"]!;
            return !ulong.TryParse(round, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? throw new PageProblem(StatusCodes.Status400BadRequest, $"round must be an unsigned decimal integer; got '{round}'")
                : await RoundsPage.RenderOneAsync(source, number, ct).ConfigureAwait(false)
                    ?? throw new PageProblem(StatusCodes.Status404NotFound, $"round {number} is not known to this aggregator");
        }));
        app.MapGet("/dashboard/governance", Page((_, ct) => GovernancePage.RenderAsync(source, ct)));
        app.MapGet("/dashboard/events", Events(source));
        app.MapGet(AssetPath + "/{name}", Asset());
        return app;
    }

    private static RequestDelegate Events(DashboardSource source) => c => DashboardEvents.StreamAsync(c, source);

    private static RequestDelegate Asset() => c => AssetAsync(c, (string)c.Request.RouteValues["name"]!);

    // One page route: the renderer's HTML, or a problem page (400, 404, 503) with the same layout.
    private static RequestDelegate Page(Func<HttpContext, CancellationToken, Task<string>> render) => async context =>
    {
        string page;
        try
        {
            page = await render(context, context.RequestAborted).ConfigureAwait(false);
        }
        catch (PageProblem problem)
        {
            await ProblemAsync(context, problem.Status, problem.Message).ConfigureAwait(false);
            return;
        }
        catch (QueryUnavailableException)
        {
            await ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "the aggregator's database or node is unavailable; try again").ConfigureAwait(false);
            return;
        }

        await WriteHtmlAsync(context, StatusCodes.Status200OK, page).ConfigureAwait(false);
    };

    private static Task ProblemAsync(HttpContext context, int status, string message)
    {
        var html = new Html();
        html.El("h1", status switch { 400 => "Bad request", 404 => "Not found", _ => "Unavailable" }).El("p", message, "id=\"problem\"")
            .Raw("<p><a href=\"/dashboard\">Back to the network</a></p>");
        return WriteHtmlAsync(context, status, Layout.Page("Problem", "", "", html));
    }

    private static Task WriteHtmlAsync(HttpContext context, int status, string page)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(page, context.RequestAborted);
    }

    private static Task AssetAsync(HttpContext context, string name)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return ProblemAsync(context, StatusCodes.Status404NotFound, $"no dashboard asset named '{name}'");
        }

        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.Type;
        return response.Body.WriteAsync(asset.Body, context.RequestAborted).AsTask();
    }

    // The stylesheet and script are embedded in this assembly (Aggregator.csproj): shipped inside the aggregator, no build step.
    private static Dictionary<string, (byte[], string, string)> LoadAssets()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            var name = resource["dashboard/".Length..];
            var type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            assets[name] = (body, type, $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..16]}\"");
        }

        return assets;
    }
}

/// <summary>A request the dashboard answers with a problem page: a malformed id (400) or an unknown one (404).</summary>
internal sealed class PageProblem(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
