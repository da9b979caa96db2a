using Google.Rpc;
using Status = Pipeline.Grpc.Status;
using StatusCode = Pipeline.Grpc.StatusCode;

namespace Storage.Service.Grpc;

/// <summary>The one place a <see cref="StorageException"/> becomes a gRPC status (registered with the wire layer's mappers).</summary>
public static class StorageStatusMapper
{
    /// <summary>The status for <paramref name="exception"/>, or null when it is not storage's to map.</summary>
    public static Status? Map(Exception exception)
    {
        if (exception is not StorageException storage)
        {
            return null;
        }
        var status = new Status(storage.Kind switch
        {
            StorageErrorKind.InvalidArgument => StatusCode.InvalidArgument,
            StorageErrorKind.NotFound => StatusCode.NotFound,
            StorageErrorKind.AlreadyExists => StatusCode.AlreadyExists,
            StorageErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
            StorageErrorKind.DataLoss => StatusCode.DataLoss,
            _ => StatusCode.Unknown,
        }, storage.Message);
        if (storage.Kind == StorageErrorKind.InvalidArgument && storage.Field is { } field)
        {
            status = status.WithDetails(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = storage.Message } },
            });
        }
        return status;
    }
}
