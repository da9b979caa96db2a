using Storage.Service.Blobs;
using Storage.Service.Configuration;
using Storage.Service.Metadata;

namespace Storage.Service;

/// <summary>
/// Start-up, before any call is served: migrate the schema, create the bucket of an S3 blob store if missing, remove blob writes a crash left unfinished, and remove
/// blobs no row references (a put that died between the rename and the commit). After it, every blob file has a row
/// and every row has its file. Each removal re-checks the references under the blob's lock, which replicas sharing the
/// database and bucket share too: a put under way on another replica is never swept away.
/// </summary>
public sealed class StorageInitializer(IMetadataStore metadata, IBlobStore blobs, StorageEngine engine, StorageOptions options, ILogger<StorageInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await metadata.InitializeAsync(cancellationToken);
        await blobs.InitializeAsync(cancellationToken);
        var unfinished = await blobs.DeleteUnfinishedWritesAsync(cancellationToken);
        if (unfinished > 0)
        {
            StorageLog.UnfinishedWritesRemoved(logger, unfinished);
        }
        var referenced = await metadata.GetReferencedBlobsAsync(cancellationToken);
        var orphans = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sha256 in await blobs.EnumerateBlobsAsync(cancellationToken).ToListAsync(cancellationToken))
        {
            if (referenced.Contains(sha256))
            {
                present.Add(sha256);
            }
            else if (await engine.CollectIfUnreferencedAsync(sha256))
            {
                orphans++;
            }
            else
            {
                present.Add(sha256);
            }
        }
        if (orphans > 0)
        {
            StorageLog.OrphanBlobsRemoved(logger, orphans);
        }
        foreach (var missing in referenced.Where(sha256 => !present.Contains(sha256)))
        {
            StorageLog.ReferencedBlobMissing(logger, missing);
        }
        StorageLog.BlobsReady(logger, blobs.Location, present.Count, options.MaxImageBytes);
    }
}
