using Grpc.Core;

namespace Router.Service.Storage;

/// <summary>Which storage failures are worth waiting out (spool and retry) and which say the request itself is wrong.</summary>
public static class StorageFailures
{
    /// <summary>
    /// False for statuses that will not change on retry (INVALID_ARGUMENT: the bytes or ids are bad; ALREADY_EXISTS,
    /// FAILED_PRECONDITION, OUT_OF_RANGE); true for the rest (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, …).
    /// </summary>
    public static bool IsTransient(RpcException exception) => exception.StatusCode is not
        (StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.OutOfRange);
}
