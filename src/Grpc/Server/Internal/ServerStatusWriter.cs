using Microsoft.AspNetCore.Http;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>
/// Writes <c>grpc-status</c>, <c>grpc-message</c> and trailing metadata (PROTOCOL-HTTP2.md "Responses"): into the
/// trailers once the response has started, else into the headers of a Trailers-Only response.
/// </summary>
internal static class ServerStatusWriter
{
    public static void Write(HttpContext http, StatusCode status, string? detail, Metadata? trailers, bool messageWritten = false)
    {
        var response = http.Response;
        if (!response.HasStarted && !messageWritten)
        {
            // Trailers-Only: one HEADERS frame with END_STREAM carrying :status 200, content-type and the status.
            var headers = response.Headers;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            headers[GrpcProtocol.StatusTrailer] = GrpcProtocol.StatusValue(status);
            if (!string.IsNullOrEmpty(detail))
            {
                headers[GrpcProtocol.MessageTrailer] = PercentEncoding.Encode(detail);
            }

            if (trailers is not null)
            {
                foreach (var entry in trailers)
                {
                    headers.Append(entry.Key, Value(entry));
                }
            }

            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusTrailer, GrpcProtocol.StatusValue(status));
        if (!string.IsNullOrEmpty(detail))
        {
            response.AppendTrailer(GrpcProtocol.MessageTrailer, PercentEncoding.Encode(detail));
        }

        if (trailers is not null)
        {
            foreach (var entry in trailers)
            {
                response.AppendTrailer(entry.Key, Value(entry));
            }
        }
    }

    /// <summary>Ends a call before any handler ran: Trailers-Only with the status.</summary>
    public static Task RejectAsync(HttpContext http, StatusCode status, string detail)
    {
        Write(http, status, detail, null);
        return Task.CompletedTask;
    }

    private static string Value(Metadata.Entry entry) =>
        entry.IsBinary ? MetadataCodec.EncodeBinary(entry.RawBytes) : entry.Value!;
}
