using System.Net.Sockets;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Client.Internal;

/// <summary>The client's one mapping of transport failures to statuses (PROTOCOL-HTTP2.md "Errors"; REFERENCES.md).</summary>
internal static class ClientErrors
{
    public static GrpcStatusException ToStatus(Exception exception, bool deadlineExpired)
    {
        if (exception is GrpcStatusException status)
        {
            return status;
        }

        if (deadlineExpired)
        {
            // PROTOCOL-HTTP2.md "Timeouts": the client reports DEADLINE_EXCEEDED, not CANCELLED, once its deadline passed.
            return new GrpcStatusException(StatusCode.DeadlineExceeded, "Deadline exceeded", innerException: exception);
        }

        return exception switch
        {
            OperationCanceledException or ObjectDisposedException =>
                new GrpcStatusException(StatusCode.Cancelled, "Call cancelled", innerException: exception),
            HttpProtocolException p =>
                new GrpcStatusException(GrpcProtocol.FromHttp2ErrorCode(p.ErrorCode), $"HTTP/2 stream error {p.ErrorCode}: {p.Message}", innerException: exception),
            HttpRequestException { InnerException: HttpProtocolException p } =>
                new GrpcStatusException(GrpcProtocol.FromHttp2ErrorCode(p.ErrorCode), $"HTTP/2 stream error {p.ErrorCode}: {p.Message}", innerException: exception),
            // Any other failure to get a response (connect, TLS, HTTP/2 preface, connection lost) is a transport
            // failure: UNAVAILABLE, the retryable code (grpc doc/statuscodes.md; grpc-dotnet maps it the same way).
            HttpRequestException or IOException or SocketException =>
                new GrpcStatusException(StatusCode.Unavailable, $"Error connecting to the server: {exception.Message}", innerException: exception),
            _ => new GrpcStatusException(StatusCode.Unknown, $"Call failed: {exception.GetType().Name}", innerException: exception),
        };
    }

    /// <summary>Checks the response headers (PROTOCOL-HTTP2.md "Responses"); null when the call continues with messages.</summary>
    public static GrpcStatusException? CheckHeaders(HttpResponseMessage response, out bool trailersOnly)
    {
        trailersOnly = false;
        var status = ReadStatus(response.Headers);
        if (status is not null)
        {
            // Trailers-Only: the status is in the one HEADERS frame.
            trailersOnly = true;
            return status.Value.Code == StatusCode.OK
                ? null
                : new GrpcStatusException(status.Value.Code, status.Value.Detail, MetadataCodec.FromHeaders(response.Headers));
        }

        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            // doc/http-grpc-status-mapping.md: without grpc-status the HTTP status decides.
            var code = (int)response.StatusCode;
            return new GrpcStatusException(GrpcProtocol.FromHttpStatus(code), $"Bad gRPC response. HTTP status code: {code}");
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            return new GrpcStatusException(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: '{contentType}'");
        }

        if (response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings)
            && encodings.FirstOrDefault() is { } encoding && encoding != GrpcProtocol.IdentityEncoding)
        {
            return new GrpcStatusException(StatusCode.Internal, $"Response grpc-encoding '{encoding}' was not requested.");
        }

        return null;
    }

    /// <summary>The final status from the trailers, falling back to the headers; CANCELLED with neither (as grpc-dotnet).</summary>
    public static (StatusCode Code, string Detail, Metadata Trailers) FinalStatus(HttpResponseMessage response)
    {
        var trailers = ReadStatus(response.TrailingHeaders) ?? ReadStatus(response.Headers);
        return trailers is { } t
            ? (t.Code, t.Detail, MetadataCodec.FromHeaders(response.TrailingHeaders))
            : (StatusCode.Cancelled, "No grpc-status found on response.", new Metadata());
    }

    private static (StatusCode Code, string Detail)? ReadStatus(System.Net.Http.Headers.HttpHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(GrpcProtocol.StatusTrailer, out var statusValues))
        {
            return null;
        }

        var code = GrpcProtocol.ParseStatus(statusValues.FirstOrDefault()) ?? StatusCode.Unknown;
        var detail = headers.NonValidated.TryGetValues(GrpcProtocol.MessageTrailer, out var messages)
            ? PercentEncoding.Decode(messages.FirstOrDefault() ?? "")
            : "";
        return (code, detail);
    }
}
