namespace SupplyOracle.Grpc;

/// <summary>
/// A call ended with a non-OK gRPC status. Servers throw it from handlers to choose the status a client sees (the
/// transport maps every exception to a status at one boundary: this one keeps its code and detail, any other becomes
/// <see cref="StatusCode.Unknown"/> without its details); clients receive it for every failed call.
/// </summary>
public sealed class GrpcStatusException : Exception
{
    /// <summary>Creates the exception with a status code, a human detail and optional trailing metadata.</summary>
    public GrpcStatusException(StatusCode statusCode, string detail, Metadata? trailers = null, Exception? innerException = null)
        : base($"Status(StatusCode=\"{statusCode}\", Detail=\"{detail}\")", innerException)
    {
        if (statusCode == StatusCode.OK)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "an exception cannot carry status OK");
        }

        StatusCode = statusCode;
        Detail = detail;
        Trailers = trailers ?? new Metadata();
    }

    /// <summary>The status code (branch on this, never on the message text).</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The human-readable detail carried in <c>grpc-message</c>.</summary>
    public string Detail { get; }

    /// <summary>Trailing metadata sent (server) or received (client) with the status.</summary>
    public Metadata Trailers { get; }
}
