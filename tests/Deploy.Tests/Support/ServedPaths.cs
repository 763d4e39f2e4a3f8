using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using SupplyOracle.Reporter.Health;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>The HTTP paths each program serves on its health listener.</summary>
public static partial class ServedPaths
{
    /// <summary>
    /// The reporter's: the routes <see cref="HealthEndpoints.MapReporterHealth"/> maps on a real (unstarted)
    /// ASP.NET Core application, the same call its <c>run</c> command makes.
    /// </summary>
    public static IReadOnlySet<string> Reporter()
    {
        using var app = WebApplication.CreateSlimBuilder().Build();
        app.MapReporterHealth(new ReporterStatus(), new Contracts.Bindings.Primitives.Address(new byte[20]), [], TimeProvider.System);
        using var metrics = new SupplyOracle.Telemetry.PrometheusExport([]);
        metrics.Map(app);
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();
    }

    /// <summary>The aggregator's: every literal route its web host maps (<c>MapGet("/...")</c> in src/Aggregator).</summary>
    public static IReadOnlySet<string> Aggregator() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "Aggregator"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => MapCall().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();

    /// <summary>True when the aggregator's web host maps the standard gRPC health service (Grpc.AspNetCore.HealthChecks).</summary>
    public static bool AggregatorServesGrpcHealth() =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Aggregator", "Hosting", "AggregatorWebHost.cs")).Contains("app.MapGrpcHealthChecksService();", StringComparison.Ordinal);

    /// <summary>The paths <paramref name="program"/> serves.</summary>
    public static IReadOnlySet<string> Of(DeployedProgram program) => program == DeployedProgram.Reporter ? Reporter() : Aggregator();

    [GeneratedRegex(@"\.Map(?:Get|Post)\(\s*""(/[^""]*)""")]
    private static partial Regex MapCall();
}
