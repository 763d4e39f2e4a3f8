using Microsoft.Extensions.Logging;

namespace SupplyOracle.Grpc.Internal;

/// <summary>The transport's log messages, with fixed event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "gRPC handler for {Method} threw; the client sees UNKNOWN")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "gRPC call {Method} rejected before the handler: {StatusCode} {Detail}")]
    public static partial void CallRejected(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "gRPC call {Method} ended with {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "gRPC call {Method} failed with {StatusCode}; retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, StatusCode statusCode, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Request to {Path} is not a gRPC call: HTTP {HttpStatus} ({Reason})")]
    public static partial void NotGrpc(ILogger logger, string path, int httpStatus, string reason);
}
