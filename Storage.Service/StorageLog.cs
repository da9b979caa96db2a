namespace Storage.Service;

/// <summary>Storage's log events. Sizes, hashes and ids only: never image bytes or prompts.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1, LogLevel.Information, "Metadata schema migrated to version {Version}")]
    public static partial void MigrationApplied(ILogger logger, int version);

    [LoggerMessage(2, LogLevel.Information, "Metadata ready at {DatabasePath} (schema version {Version})")]
    public static partial void MetadataReady(ILogger logger, string databasePath, int version);

    [LoggerMessage(3, LogLevel.Warning, "Removed {Count} unfinished blob write(s) left by an earlier crash")]
    public static partial void UnfinishedWritesRemoved(ILogger logger, int count);

    [LoggerMessage(4, LogLevel.Warning, "Removed {Count} orphan blob(s) no image referenced (a put that did not commit)")]
    public static partial void OrphanBlobsRemoved(ILogger logger, int count);

    [LoggerMessage(5, LogLevel.Information, "Stored image {ImageId} of run {RunId}: {SizeBytes} bytes, sha256 {Sha256}, deduplicated {Deduplicated}")]
    public static partial void ImageStored(ILogger logger, string imageId, string runId, long sizeBytes, string sha256, bool deduplicated);

    [LoggerMessage(6, LogLevel.Information, "Put of run {RunId} index {ImageIndex} returned the existing image {ImageId}")]
    public static partial void ImageAlreadyStored(ILogger logger, string runId, int imageIndex, string imageId);

    [LoggerMessage(7, LogLevel.Warning, "Put of run {RunId} index {ImageIndex} sent bytes {Sha256} but {ImageId} holds {StoredSha256}; the stored image was kept")]
    public static partial void ImageIndexConflict(ILogger logger, string runId, int imageIndex, string sha256, string imageId, string storedSha256);

    [LoggerMessage(8, LogLevel.Information, "Deleted run {RunId}: {ImagesDeleted} image(s), {BlobsDeleted} blob(s)")]
    public static partial void RunDeleted(ILogger logger, string runId, int imagesDeleted, int blobsDeleted);

    [LoggerMessage(9, LogLevel.Information, "Split image {ImageId} into {Rows}x{Columns} tiles")]
    public static partial void GridSplit(ILogger logger, string imageId, int rows, int columns);

    [LoggerMessage(10, LogLevel.Warning, "Export of run {RunId} to {ExportPath} failed")]
    public static partial void ExportFailed(ILogger logger, string runId, string exportPath, Exception exception);

    [LoggerMessage(11, LogLevel.Error, "Image {ImageId} names blob {Sha256}, which is missing")]
    public static partial void BlobMissing(ILogger logger, string imageId, string sha256);

    [LoggerMessage(12, LogLevel.Information, "Blob store ready at {BlobLocation} ({BlobCount} blob(s)); size cap {MaxImageBytes} bytes")]
    public static partial void BlobsReady(ILogger logger, string blobLocation, int blobCount, int maxImageBytes);

    [LoggerMessage(13, LogLevel.Error, "Blob {Sha256} is referenced by metadata but missing from the blob store")]
    public static partial void ReferencedBlobMissing(ILogger logger, string sha256);

    [LoggerMessage(14, LogLevel.Information, "Claim of run {RunId} for tenant {Tenant}: {Result}")]
    public static partial void RunClaimed(ILogger logger, string runId, string tenant, Pipeline.Contracts.Storage.V1.ClaimResult result);

    [LoggerMessage(15, LogLevel.Information, "Metadata ready in PostgreSQL database {Database} on {Host}:{Port} (schema version {Version})")]
    public static partial void PostgresMetadataReady(ILogger logger, string host, int port, string database, int version);
}
