namespace Storage.Service.Blobs;

/// <summary>The S3 blob store's log events: bucket names, endpoints and hashes, never credentials.</summary>
internal static partial class S3BlobLog
{
    [LoggerMessage(101, LogLevel.Information, "Created bucket {Bucket} at {Endpoint} for the blob store")]
    public static partial void BucketCreated(ILogger logger, string bucket, string endpoint);

    [LoggerMessage(102, LogLevel.Error, "The server rejected blob {Sha256}: its checksum did not match the bytes received ({ErrorCode})")]
    public static partial void UploadRejected(ILogger logger, string sha256, string errorCode);
}
