using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>
/// Binds the methods of a proto <see cref="ServiceDescriptor"/> to a handler object, once, at registration. The call
/// shape of each method comes from <see cref="MethodDescriptor.IsClientStreaming"/> and
/// <see cref="MethodDescriptor.IsServerStreaming"/>; the handler must have, for method <c>M</c>, a public instance method
/// named <c>M</c> or <c>MAsync</c> with the shape's signature (see <see cref="GrpcEndpointRouteBuilderExtensions"/>).
/// </summary>
internal static class ServiceBinder
{
    public static IReadOnlyList<(string Path, ServerCallHandler Handler)> Bind(ServiceDescriptor service, object implementation, ServerRuntime runtime)
    {
        var handlers = new List<(string, ServerCallHandler)>();
        foreach (var method in service.Methods)
        {
            var input = method.InputType.ClrType;
            var output = method.OutputType.ClrType;
            var path = $"/{service.FullName}/{method.Name}";
            var (binderName, expectedParameters, returnType) = (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => (nameof(BindUnary), new[] { input, typeof(ServerCallContext) }, typeof(Task<>).MakeGenericType(output)),
                (false, true) => (nameof(BindServerStreaming), new[] { input, typeof(IGrpcStreamWriter<>).MakeGenericType(output), typeof(ServerCallContext) }, typeof(Task)),
                (true, false) => (nameof(BindClientStreaming), new[] { typeof(IGrpcStreamReader<>).MakeGenericType(input), typeof(ServerCallContext) }, typeof(Task<>).MakeGenericType(output)),
                (true, true) => (nameof(BindDuplex), new[] { typeof(IGrpcStreamReader<>).MakeGenericType(input), typeof(IGrpcStreamWriter<>).MakeGenericType(output), typeof(ServerCallContext) }, typeof(Task)),
            };

            var target = FindMethod(implementation.GetType(), method.Name, expectedParameters, returnType)
                ?? throw new GrpcServiceBindingException(service.FullName, method.Name,
                    $"{implementation.GetType().Name} has no public method '{method.Name}' or '{method.Name}Async' " +
                    $"({string.Join(", ", expectedParameters.Select(p => p.Name))}) returning {returnType.Name}");
            var binder = typeof(ServiceBinder).GetMethod(binderName, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(input, output);
            var handler = (ServerCallHandler)binder.Invoke(null, [path, runtime, method.InputType.Parser, implementation, target])!;
            handlers.Add((path, handler));
        }

        return handlers;
    }

    private static MethodInfo? FindMethod(Type type, string name, Type[] parameters, Type returnType) =>
        new[] { name, name + "Async" }
            .Select(n => type.GetMethod(n, BindingFlags.Public | BindingFlags.Instance, parameters))
            .FirstOrDefault(m => m is not null && m.ReturnType == returnType);

    private static ServerCallHandler BindUnary<TRequest, TResponse>(string path, ServerRuntime runtime, MessageParser parser, object target, MethodInfo method)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new UnaryCallHandler<TRequest, TResponse>(path, runtime, (MessageParser<TRequest>)parser, method.CreateDelegate<UnaryMethod<TRequest, TResponse>>(target));

    private static ServerCallHandler BindServerStreaming<TRequest, TResponse>(string path, ServerRuntime runtime, MessageParser parser, object target, MethodInfo method)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new ServerStreamingCallHandler<TRequest, TResponse>(path, runtime, (MessageParser<TRequest>)parser, method.CreateDelegate<ServerStreamingMethod<TRequest, TResponse>>(target));

    private static ServerCallHandler BindClientStreaming<TRequest, TResponse>(string path, ServerRuntime runtime, MessageParser parser, object target, MethodInfo method)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new ClientStreamingCallHandler<TRequest, TResponse>(path, runtime, (MessageParser<TRequest>)parser, method.CreateDelegate<ClientStreamingMethod<TRequest, TResponse>>(target));

    private static ServerCallHandler BindDuplex<TRequest, TResponse>(string path, ServerRuntime runtime, MessageParser parser, object target, MethodInfo method)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new DuplexStreamingCallHandler<TRequest, TResponse>(path, runtime, (MessageParser<TRequest>)parser, method.CreateDelegate<DuplexStreamingMethod<TRequest, TResponse>>(target));
}
