using System.Diagnostics.CodeAnalysis;

namespace Storage.Service;

/// <summary>What went wrong with a storage request, mapped to a gRPC status and an HTTP status at the edges.</summary>
public enum StorageErrorKind
{
    /// <summary>The request is malformed (bad id, bad image, over the size cap). gRPC INVALID_ARGUMENT, HTTP 400.</summary>
    InvalidArgument,

    /// <summary>The run or image does not exist. gRPC NOT_FOUND, HTTP 404.</summary>
    NotFound,

    /// <summary>An id is taken by a different record. gRPC ALREADY_EXISTS, HTTP 409.</summary>
    AlreadyExists,

    /// <summary>The request is valid but the stored data does not allow it. gRPC FAILED_PRECONDITION, HTTP 409.</summary>
    FailedPrecondition,

    /// <summary>Metadata names a blob that is gone. gRPC DATA_LOSS, HTTP 500.</summary>
    DataLoss,

    /// <summary>The caller may not ask this (a member asking about another tenant). gRPC PERMISSION_DENIED, HTTP 403.</summary>
    PermissionDenied,
}

/// <summary>A request storage refuses, with the field at fault when there is one.</summary>
public sealed class StorageException(StorageErrorKind kind, string message, string? field = null) : Exception(message)
{
    public StorageErrorKind Kind { get; } = kind;

    /// <summary>The request field at fault (e.g. "data", "run.run_id"), or null.</summary>
    public string? Field { get; } = field;

    [DoesNotReturn]
    public static void ThrowInvalid(string field, string message) => throw new StorageException(StorageErrorKind.InvalidArgument, message, field);

    [DoesNotReturn]
    public static void ThrowNotFound(string message) => throw new StorageException(StorageErrorKind.NotFound, message);

    [DoesNotReturn]
    public static void ThrowAlreadyExists(string field, string message) => throw new StorageException(StorageErrorKind.AlreadyExists, message, field);

    [DoesNotReturn]
    public static void ThrowPermissionDenied(string message) => throw new StorageException(StorageErrorKind.PermissionDenied, message);

    [DoesNotReturn]
    public static void ThrowFailedPrecondition(string message) => throw new StorageException(StorageErrorKind.FailedPrecondition, message);
}
