using Grpc.Core;

namespace SupplyOracle.Protocol.Transport;

/// <summary>
/// Which exception types a host turns into which gRPC status (read by <see cref="ServerCallInterceptor"/>, the one place
/// where exceptions become statuses). A type matches itself and its subclasses; the first registered match wins.
/// Unregistered exceptions become UNKNOWN with a generic message (grpc doc/statuscodes.md: "unhandled server exception").
/// </summary>
public sealed class GrpcExceptionMap
{
    private readonly List<(Type Type, StatusCode Code, string Detail)> _entries = [];

    /// <summary>Maps <typeparamref name="TException"/> (and subclasses) to <paramref name="code"/> with the fixed <paramref name="detail"/>.</summary>
    /// <remarks>The detail is fixed rather than the exception's message so that nothing internal leaks to callers.</remarks>
    public GrpcExceptionMap Map<TException>(StatusCode code, string detail)
        where TException : Exception
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(detail);
        _entries.Add((typeof(TException), code, detail));
        return this;
    }

    /// <summary>The status registered for <paramref name="exception"/>'s type, if any.</summary>
    public bool TryMap(Exception exception, out Status status)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var (type, code, detail) in _entries)
        {
            if (type.IsInstanceOfType(exception))
            {
                status = new Status(code, detail);
                return true;
            }
        }

        status = default;
        return false;
    }
}
