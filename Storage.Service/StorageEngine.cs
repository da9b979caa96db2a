using System.Security.Cryptography;
using Pipeline.Contracts.Storage.V1;
using Storage.Service.Blobs;
using Storage.Service.Configuration;
using Storage.Service.Export;
using Storage.Service.Metadata;
using Storage.Service.Validation;

namespace Storage.Service;

/// <summary>
/// The storage operations both edges (gRPC, HTTP) call. A put writes the blob (synced, renamed into place) before
/// the metadata commit, so a committed row always has its file; a crash in between leaves an orphan blob, which the
/// start-up sweep removes.
/// </summary>
public sealed class StorageEngine(
    IBlobStore blobs,
    IMetadataStore metadata,
    BlobLocks locks,
    RunExporter exporter,
    StorageOptions options,
    TimeProvider time,
    ILogger<StorageEngine> logger)
{
    /// <summary>Stores one image of a run (idempotent on run id and index); returns the stored record and whether the blob was already there.</summary>
    public async Task<(ImageRecord Image, bool Deduplicated)> PutImageAsync(
        RunRecord? run, int imageIndex, ReadOnlyMemory<byte> data, string? mimeType, string? imageId, CancellationToken cancellationToken)
    {
        RunValidator.Validate(run, "run.");
        if (imageIndex < 0)
        {
            StorageException.ThrowInvalid("image_index", $"image_index is {imageIndex}; it must be 0 or more");
        }
        var id = string.IsNullOrEmpty(imageId) ? $"{run.RunId}-{imageIndex}" : Ids.RequireImageId(imageId, "image_id");
        var info = ImageValidator.Validate(data.Span, options.MaxImageBytes, mimeType);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(data.Span));

        var existing = await metadata.GetImageAtIndexAsync(run.RunId, imageIndex, cancellationToken);
        if (existing is not null)
        {
            return await ReturnExistingAsync(run, existing, sha256, cancellationToken);
        }

        var record = new ImageRecord
        {
            ImageId = id,
            RunId = run.RunId,
            ImageIndex = imageIndex,
            Sha256 = sha256,
            MimeType = info.MimeType,
            Width = info.Width,
            Height = info.Height,
            SizeBytes = data.Length,
            CreatedAt = Now(),
        };
        ImageRecord stored;
        bool deduplicated;
        using (await locks.LockAsync(sha256, cancellationToken))
        {
            var written = await blobs.WriteAsync(sha256, data, cancellationToken);
            deduplicated = !written;
            bool inserted;
            try
            {
                (stored, inserted) = await metadata.InsertImageAsync(run, record, cancellationToken);
            }
            catch
            {
                if (written)
                {
                    await CollectIfUnreferencedCoreAsync(sha256);
                }
                throw;
            }
            if (!inserted)
            {
                if (written)
                {
                    await CollectIfUnreferencedCoreAsync(sha256);
                }
                return await ReturnExistingAsync(run, stored, sha256, cancellationToken);
            }
        }
        StorageLog.ImageStored(logger, stored.ImageId, stored.RunId, stored.SizeBytes, sha256, deduplicated);
        await exporter.ExportRunAsync(run.RunId);
        return (stored, deduplicated);
    }

    /// <summary>Creates or updates a run record; returns it with its images.</summary>
    public async Task<RunRecord> UpsertRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        RunValidator.Validate(run, "");
        var stored = await metadata.UpsertRunAsync(run, cancellationToken);
        await exporter.ExportRunAsync(run.RunId);
        return stored;
    }

    /// <summary>A run with its images; NOT_FOUND when unknown.</summary>
    public async Task<RunRecord> GetRunAsync(string? runId, string field, CancellationToken cancellationToken)
    {
        var id = Ids.RequireRunId(runId, field);
        return await metadata.GetRunAsync(id, cancellationToken)
            ?? throw new StorageException(StorageErrorKind.NotFound, $"run '{id}' does not exist");
    }

    /// <summary>An image's record and an open stream of its bytes; NOT_FOUND when unknown.</summary>
    public async Task<(ImageRecord Image, Stream Content)> OpenImageAsync(string? imageId, string field, CancellationToken cancellationToken)
    {
        var id = Ids.RequireImageId(imageId, field);
        var image = await metadata.GetImageAsync(id, cancellationToken)
            ?? throw new StorageException(StorageErrorKind.NotFound, $"image '{id}' does not exist");
        var content = blobs.OpenRead(image.Sha256);
        if (content is null)
        {
            StorageLog.BlobMissing(logger, image.ImageId, image.Sha256);
            throw new StorageException(StorageErrorKind.DataLoss, $"the bytes of image '{id}' (sha256 {image.Sha256}) are missing from the blob store");
        }
        return (image, content);
    }

    /// <summary>A page of runs, newest first, and the token of the next page ("" on the last).</summary>
    public async Task<(IReadOnlyList<RunRecord> Runs, string NextPageToken)> ListRunsAsync(
        int pageSize, string? pageToken, string? config, CancellationToken cancellationToken)
    {
        if (pageSize is < 0 or > 200)
        {
            StorageException.ThrowInvalid("page_size", $"page_size is {pageSize}; allowed: 1-200, or 0 for the default 50");
        }
        var size = pageSize == 0 ? 50 : pageSize;
        var filter = config ?? "";
        var after = string.IsNullOrEmpty(pageToken) ? null : RunCursor.Parse(pageToken, filter);
        var runs = await metadata.ListRunsAsync(filter, after, size + 1, cancellationToken);
        if (runs.Count <= size)
        {
            return (runs, "");
        }
        var page = runs.Take(size).ToList();
        var last = page[^1];
        return (page, new RunCursor(SqliteRows.ToMicros(last.CreatedAt), last.RunId, filter).ToToken());
    }

    /// <summary>Deletes a run's metadata and the blobs nothing else references; NOT_FOUND when unknown.</summary>
    public async Task<(int ImagesDeleted, int BlobsDeleted)> DeleteRunAsync(string? runId, CancellationToken cancellationToken)
    {
        var id = Ids.RequireRunId(runId, "run_id");
        var images = await metadata.DeleteRunAsync(id, cancellationToken)
            ?? throw new StorageException(StorageErrorKind.NotFound, $"run '{id}' does not exist");
        var blobsDeleted = 0;
        foreach (var sha256 in images.Select(i => i.Sha256).Distinct(StringComparer.Ordinal))
        {
            if (await CollectIfUnreferencedAsync(sha256))
            {
                blobsDeleted++;
            }
        }
        exporter.DeleteRun(id);
        StorageLog.RunDeleted(logger, id, images.Count, blobsDeleted);
        return (images.Count, blobsDeleted);
    }

    /// <summary>Stores tiles and their rows; returns the stored records.</summary>
    internal async Task<IReadOnlyList<ImageRecord>> StoreTilesAsync(string runId, IReadOnlyList<(ImageRecord Record, byte[] Bytes)> tiles, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        using (await locks.LockAsync(tiles.Select(t => t.Record.Sha256), cancellationToken))
        {
            try
            {
                foreach (var (record, bytes) in tiles)
                {
                    if (await blobs.WriteAsync(record.Sha256, bytes, cancellationToken))
                    {
                        written.Add(record.Sha256);
                    }
                }
                var stored = await metadata.InsertTilesAsync(runId, [.. tiles.Select(t => t.Record)], cancellationToken);
                await exporter.ExportRunAsync(runId);
                return stored;
            }
            catch
            {
                foreach (var sha256 in written)
                {
                    await CollectIfUnreferencedCoreAsync(sha256);
                }
                throw;
            }
        }
    }

    /// <summary>Now, at the microsecond precision metadata keeps, so a returned record equals the stored one.</summary>
    internal Google.Protobuf.WellKnownTypes.Timestamp Now() =>
        SqliteRows.ToTimestamp(SqliteRows.ToMicros(Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time.GetUtcNow())));

    private async Task<(ImageRecord, bool)> ReturnExistingAsync(RunRecord run, ImageRecord existing, string sha256, CancellationToken cancellationToken)
    {
        await metadata.UpsertRunAsync(run, cancellationToken);
        if (existing.Sha256 == sha256)
        {
            StorageLog.ImageAlreadyStored(logger, run.RunId, existing.ImageIndex, existing.ImageId);
        }
        else
        {
            StorageLog.ImageIndexConflict(logger, run.RunId, existing.ImageIndex, sha256, existing.ImageId, existing.Sha256);
        }
        await exporter.ExportRunAsync(run.RunId);
        return (existing, existing.Sha256 == sha256);
    }

    private async Task<bool> CollectIfUnreferencedAsync(string sha256)
    {
        using (await locks.LockAsync(sha256, CancellationToken.None))
        {
            return await CollectIfUnreferencedCoreAsync(sha256);
        }
    }

    private async Task<bool> CollectIfUnreferencedCoreAsync(string sha256) =>
        !await metadata.IsBlobReferencedAsync(sha256, CancellationToken.None) && blobs.Delete(sha256);
}
