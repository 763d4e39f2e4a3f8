namespace SupplyOracle.Grpc.Internal;

/// <summary>Protocol constants of grpc/grpc <c>doc/PROTOCOL-HTTP2.md</c>, in one place.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string TeHeader = "te";
    public const string TeTrailers = "trailers";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string IdentityEncoding = "identity";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";
    public const string UserAgent = "grpc-dotnet-supplyoracle/1.0";

    /// <summary>Length-Prefixed-Message: Compressed-Flag (1 byte) then Message-Length (4 bytes, big-endian).</summary>
    public const int FrameHeaderSize = 5;

    /// <summary>The default receive limit of grpc-dotnet and grpc-go (REFERENCES.md "Message size").</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// True for <c>application/grpc</c>, <c>application/grpc+proto</c> and <c>application/grpc;params</c>
    /// (Content-Type → "application/grpc" [("+proto" / "+json" / {custom})]); this transport speaks proto only.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        var rest = contentType.AsSpan(ContentType.Length);
        return rest[0] == ';' || rest.StartsWith("+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Names the status code as OpenTelemetry's <c>rpc.response.status_code</c> wants it (upper snake case).</summary>
    public static string StatusName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => "UNKNOWN",
    };

    /// <summary>Formats <c>grpc-status</c>: decimal without leading zeros; cached strings, no allocation.</summary>
    public static string StatusValue(StatusCode code) => (int)code is >= 0 and < 17 ? s_statusValues[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] s_statusValues =
        Enumerable.Range(0, 17).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Parses <c>grpc-status</c>; null when absent or not a decimal integer.</summary>
    public static StatusCode? ParseStatus(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? (StatusCode)code
            : null;

    /// <summary>
    /// Maps an HTTP status to a gRPC status when the response carried no <c>grpc-status</c>
    /// (grpc/grpc <c>doc/http-grpc-status-mapping.md</c>).
    /// </summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>
    /// Maps an HTTP/2 RST_STREAM or GOAWAY error code (RFC 9113 section 7) to a gRPC status
    /// (PROTOCOL-HTTP2.md "Errors").
    /// </summary>
    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x0 => StatusCode.Internal,       // NO_ERROR before the response completed
        0x7 => StatusCode.Unavailable,    // REFUSED_STREAM: not processed, safe to retry
        0x8 => StatusCode.Cancelled,      // CANCEL
        0xb => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
        0xc => StatusCode.PermissionDenied,  // INADEQUATE_SECURITY
        _ => StatusCode.Internal,
    };
}
