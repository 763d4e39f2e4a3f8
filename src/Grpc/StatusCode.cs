namespace SupplyOracle.Grpc;

/// <summary>gRPC status codes (grpc/grpc <c>doc/statuscodes.md</c>); the numeric values are the wire values.</summary>
public enum StatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,

    /// <summary>The call was cancelled, typically by the caller.</summary>
    Cancelled = 1,

    /// <summary>Unknown error, for example an unhandled server exception.</summary>
    Unknown = 2,

    /// <summary>The client specified an invalid argument (application only).</summary>
    InvalidArgument = 3,

    /// <summary>The deadline expired before the operation could complete.</summary>
    DeadlineExceeded = 4,

    /// <summary>A requested entity was not found (application only).</summary>
    NotFound = 5,

    /// <summary>The entity a client tried to create already exists (application only).</summary>
    AlreadyExists = 6,

    /// <summary>The caller may not perform the operation.</summary>
    PermissionDenied = 7,

    /// <summary>A resource has been exhausted, for example a message above the receive limit.</summary>
    ResourceExhausted = 8,

    /// <summary>The system is not in a state required for the operation (application only).</summary>
    FailedPrecondition = 9,

    /// <summary>The operation was aborted, typically on a concurrency conflict (application only).</summary>
    Aborted = 10,

    /// <summary>The operation was attempted past the valid range (application only).</summary>
    OutOfRange = 11,

    /// <summary>The method is not implemented or the call shape is wrong.</summary>
    Unimplemented = 12,

    /// <summary>An invariant of the underlying system is broken, for example a malformed message.</summary>
    Internal = 13,

    /// <summary>The service is currently unavailable; retrying with backoff is appropriate.</summary>
    Unavailable = 14,

    /// <summary>Unrecoverable data loss or corruption (application only).</summary>
    DataLoss = 15,

    /// <summary>The request has no valid authentication credentials.</summary>
    Unauthenticated = 16,
}
