using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyOracle.Grpc.Internal;
using SupplyOracle.Grpc.Server.Internal;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace SupplyOracle.Grpc.Server;

/// <summary>
/// Maps proto services onto ASP.NET Core endpoints. For a method <c>M</c> of the service, the handler object has a
/// public method <c>M</c> or <c>MAsync</c> of the call shape's signature:
/// unary <c>Task&lt;TRes&gt; M(TReq, ServerCallContext)</c>;
/// server streaming <c>Task M(TReq, IGrpcStreamWriter&lt;TRes&gt;, ServerCallContext)</c>;
/// client streaming <c>Task&lt;TRes&gt; M(IGrpcStreamReader&lt;TReq&gt;, ServerCallContext)</c>;
/// duplex <c>Task M(IGrpcStreamReader&lt;TReq&gt;, IGrpcStreamWriter&lt;TRes&gt;, ServerCallContext)</c>.
/// Any other path answers UNIMPLEMENTED (Trailers-Only).
/// </summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    private static readonly ConditionalWeakTable<IEndpointRouteBuilder, object> s_fallbackMapped = [];

    /// <summary>Maps every method of <paramref name="service"/> to <paramref name="implementation"/>.</summary>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, ServiceDescriptor service, object implementation)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(implementation);
        var runtime = CreateRuntime(endpoints.ServiceProvider);
        var builders = new List<IEndpointConventionBuilder>();
        foreach (var (path, handler) in ServiceBinder.Bind(service, implementation, runtime))
        {
            // Any HTTP method reaches the handler, which answers 405 for non-POST (routing would say 404 → UNIMPLEMENTED).
            builders.Add(endpoints.Map(path, handler.HandleAsync).WithDisplayName($"gRPC {path}"));
        }

        if (!s_fallbackMapped.TryGetValue(endpoints, out _))
        {
            s_fallbackMapped.Add(endpoints, new object());
            var fallback = new UnimplementedHandler(runtime);
            builders.Add(endpoints.Map("{**path}", fallback.HandleAsync).WithDisplayName("gRPC unimplemented").WithOrder(int.MaxValue));
        }

        return new CompositeConventionBuilder(builders);
    }

    private static ServerRuntime CreateRuntime(IServiceProvider services)
    {
        var options = services.GetService<IOptions<GrpcServerOptions>>()?.Value ?? new GrpcServerOptions();
        options.Validate();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(GrpcDiagnostics.Name) ?? NullLogger.Instance;
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        return new ServerRuntime(options, services.GetService<TimeProvider>() ?? TimeProvider.System, logger, stopping);
    }

    private sealed class UnimplementedHandler(ServerRuntime runtime)
    {
        public async Task HandleAsync(HttpContext http)
        {
            var path = http.Request.Path.Value ?? "";
            if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
            {
                // Not a gRPC request for a path nobody serves: plain HTTP 404, so other endpoints of the app keep HTTP semantics.
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (await ServerPreconditions.CheckAsync(http, path, runtime).ConfigureAwait(false))
            {
                // grpc/grpc doc/statuscodes.md: an unknown method is UNIMPLEMENTED, sent Trailers-Only.
                await ServerStatusWriter.RejectAsync(http, StatusCode.Unimplemented, $"Method {path} is unimplemented.").ConfigureAwait(false);
            }
        }
    }

    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }
    }
}
