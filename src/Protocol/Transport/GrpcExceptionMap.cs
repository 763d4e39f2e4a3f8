using Grpc.Core;

namespace SupplyOracle.Protocol.Transport;

/// <summary>
/// Which exception types a host turns into which gRPC status (read by <see cref="ServerCallInterceptor"/>, the one place
/// where exceptions become statuses). A type matches itself and its subclasses; the first registered match wins.
/// Unregistered exceptions become UNKNOWN with a generic message (grpc doc/statuscodes.md: "unhandled server exception").
/// </summary>
public sealed class GrpcExceptionMap
{
    private readonly List<(Func<Exception, bool> Matches, StatusCode Code, string Detail)> _entries = [];

    /// <summary>Maps <typeparamref name="TException"/> (and subclasses) to <paramref name="code"/> with the fixed <paramref name="detail"/>.</summary>
    /// <remarks>The detail is fixed rather than the exception's message so that nothing internal leaks to callers.</remarks>
    public GrpcExceptionMap Map<TException>(StatusCode code, string detail)
        where TException : Exception
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(detail);
        _entries.Add((e => e is TException, code, detail));
        return this;
    }

    /// <summary>Maps every exception <paramref name="matches"/> accepts to <paramref name="code"/> with the fixed <paramref name="detail"/>
    /// (for failures recognised by more than their type, such as a store's transient errors).</summary>
    public GrpcExceptionMap Map(Func<Exception, bool> matches, StatusCode code, string detail)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentException.ThrowIfNullOrWhiteSpace(detail);
        _entries.Add((matches, code, detail));
        return this;
    }

    /// <summary>The status registered for <paramref name="exception"/>'s type, if any.</summary>
    public bool TryMap(Exception exception, out Status status)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var (matches, code, detail) in _entries)
        {
            if (matches(exception))
            {
                status = new Status(code, detail);
                return true;
            }
        }

        status = default;
        return false;
    }
}
