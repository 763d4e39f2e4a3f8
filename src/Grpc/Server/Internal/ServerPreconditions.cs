using Microsoft.AspNetCore.Http;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>Request checks made before any handler runs (PROTOCOL-HTTP2.md "Requests"; REFERENCES.md "gRPC wire protocol").</summary>
internal static class ServerPreconditions
{
    public static async ValueTask<bool> CheckAsync(HttpContext http, string method, ServerRuntime runtime)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            // Only POST carries gRPC; HTTP semantics say 405 for the others.
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "POST";
            Log.NotGrpc(runtime.Logger, method, StatusCodes.Status405MethodNotAllowed, request.Method);
            return false;
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            // A non-gRPC content type is not a gRPC call: plain HTTP 415 (PROTOCOL-HTTP2.md).
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            Log.NotGrpc(runtime.Logger, method, StatusCodes.Status415UnsupportedMediaType, $"content-type '{request.ContentType}'");
            return false;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            // gRPC needs HTTP/2 trailers: answer HTTP/1.x with 426 Upgrade Required and INTERNAL, as grpc-dotnet does.
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers[GrpcProtocol.StatusTrailer] = GrpcProtocol.StatusValue(StatusCode.Internal);
            http.Response.Headers[GrpcProtocol.MessageTrailer] = PercentEncoding.Encode($"Request protocol '{request.Protocol}' is not supported: gRPC requires HTTP/2.");
            Log.NotGrpc(runtime.Logger, method, StatusCodes.Status426UpgradeRequired, request.Protocol);
            return false;
        }

        if (!string.Equals(request.Headers[GrpcProtocol.TeHeader], GrpcProtocol.TeTrailers, StringComparison.OrdinalIgnoreCase))
        {
            // PROTOCOL-HTTP2.md: TE → "te" "trailers" is required (it detects proxies that drop trailers).
            return await RejectAsync(http, method, runtime, StatusCode.Internal,
                "Missing 'te: trailers' request header: gRPC requires it (PROTOCOL-HTTP2.md).").ConfigureAwait(false);
        }

        var encoding = request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0 && !string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.Ordinal))
        {
            // PROTOCOL-HTTP2.md "Message-Encoding": an unsupported encoding is UNIMPLEMENTED, listing what is accepted.
            http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
            return await RejectAsync(http, method, runtime, StatusCode.Unimplemented,
                $"Unsupported grpc-encoding '{encoding}'; supported: identity.").ConfigureAwait(false);
        }

        return true;
    }

    private static async ValueTask<bool> RejectAsync(HttpContext http, string method, ServerRuntime runtime, StatusCode status, string detail)
    {
        Log.CallRejected(runtime.Logger, method, status, detail);
        await ServerStatusWriter.RejectAsync(http, status, detail).ConfigureAwait(false);
        return false;
    }
}
