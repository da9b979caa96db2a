using Google.Rpc;
using Pipeline.ServiceDefaults.Grpc;
using StatusCode = Grpc.Core.StatusCode;

namespace Storage.Service.Grpc;

/// <summary>The one place a <see cref="StorageException"/> becomes a gRPC status (registered with the fleet's exception interceptor).</summary>
public static class StorageStatusMapper
{
    /// <summary>The status for <paramref name="exception"/>, or null when it is not storage's to map.</summary>
    public static Google.Rpc.Status? Map(Exception exception)
    {
        if (exception is not StorageException storage)
        {
            return null;
        }
        var code = storage.Kind switch
        {
            StorageErrorKind.InvalidArgument => StatusCode.InvalidArgument,
            StorageErrorKind.NotFound => StatusCode.NotFound,
            StorageErrorKind.AlreadyExists => StatusCode.AlreadyExists,
            StorageErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
            StorageErrorKind.DataLoss => StatusCode.DataLoss,
            StorageErrorKind.PermissionDenied => StatusCode.PermissionDenied,
            _ => StatusCode.Unknown,
        };
        return storage.Kind == StorageErrorKind.InvalidArgument && storage.Field is { } field
            ? RichStatus.Create(code, storage.Message, new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = storage.Message } },
            })
            : RichStatus.Create(code, storage.Message);
    }
}
