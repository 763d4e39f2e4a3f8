using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace SupplyOracle.Grpc.Client;

/// <summary>A method of a proto service as a client calls it: its path, shape and message types, from the descriptor.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private GrpcMethod(MethodDescriptor descriptor, MessageParser<TResponse> parser)
    {
        Descriptor = descriptor;
        Path = $"/{descriptor.Service.FullName}/{descriptor.Name}";
        Name = Path[1..];
        ResponseParser = parser;
    }

    /// <summary>The proto method.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The HTTP/2 <c>:path</c>, <c>/pkg.Service/Method</c>.</summary>
    public string Path { get; }

    /// <summary><c>pkg.Service/Method</c>, the span name and <c>rpc.method</c>.</summary>
    public string Name { get; }

    internal MessageParser<TResponse> ResponseParser { get; }

    /// <summary>Creates the method after checking that the CLR types are the descriptor's input and output types.</summary>
    public static GrpcMethod<TRequest, TResponse> Create(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{descriptor.FullName} takes {descriptor.InputType.ClrType.Name} and returns {descriptor.OutputType.ClrType.Name}, not {typeof(TRequest).Name} and {typeof(TResponse).Name}",
                nameof(descriptor));
        }

        return new GrpcMethod<TRequest, TResponse>(descriptor, (MessageParser<TResponse>)descriptor.OutputType.Parser);
    }

    internal void RequireShape(bool clientStreaming, bool serverStreaming)
    {
        if (Descriptor.IsClientStreaming != clientStreaming || Descriptor.IsServerStreaming != serverStreaming)
        {
            throw new InvalidOperationException(
                $"{Name} is {Shape(Descriptor.IsClientStreaming, Descriptor.IsServerStreaming)}, not {Shape(clientStreaming, serverStreaming)}");
        }
    }

    private static string Shape(bool c, bool s) => (c, s) switch
    {
        (false, false) => "unary",
        (false, true) => "server streaming",
        (true, false) => "client streaming",
        _ => "duplex streaming",
    };
}

/// <summary>Per-call options: metadata, deadline, cancellation.</summary>
/// <param name="Headers">Custom metadata sent with the request.</param>
/// <param name="Deadline">When the call must be done; sent as <c>grpc-timeout</c>; null for none.</param>
/// <param name="CancellationToken">Cancels the call (the client then reports CANCELLED).</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTimeOffset? Deadline = null, CancellationToken CancellationToken = default)
{
    /// <summary>
    /// Options for a call made while serving <paramref name="context"/>: the server call's deadline and cancellation
    /// carry over (deadline propagation), so the downstream call never outlives the upstream one.
    /// </summary>
    public static CallOptions PropagateFrom(Server.ServerCallContext context, Metadata? headers = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CallOptions(headers, context.Deadline, context.CancellationToken);
    }
}
