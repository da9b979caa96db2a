using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Storage.V1;
using Pipeline.ServiceDefaults.Security;
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
    /// <summary>A RUNNING run not updated for this long is abandoned, when a claim names no other limit.</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(15);

    /// <summary>Stores one image of a run (idempotent on run id and index); returns the stored record and whether the blob was already there.</summary>
    public async Task<(ImageRecord Image, bool Deduplicated)> PutImageAsync(
        RunRecord? run, int imageIndex, ReadOnlyMemory<byte> data, string? mimeType, string? imageId, Caller caller, CancellationToken cancellationToken)
    {
        RunValidator.Validate(run, "run.");
        run = OwnedBy(run, caller);
        if (imageIndex < 0)
        {
            StorageException.ThrowInvalid("image_index", $"image_index is {imageIndex}; it must be 0 or more");
        }
        var id = string.IsNullOrEmpty(imageId) ? $"{run.RunId}-{imageIndex}" : Ids.RequireImageId(imageId, "image_id");
        var info = ImageValidator.Validate(data.Span, options.MaxImageBytes, options.ImageLimits, mimeType);
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
        await using (await locks.LockAsync(sha256, cancellationToken))
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
    public async Task<RunRecord> UpsertRunAsync(RunRecord run, Caller caller, CancellationToken cancellationToken)
    {
        RunValidator.Validate(run, "");
        run = OwnedBy(run, caller);
        var stored = await metadata.UpsertRunAsync(run, cancellationToken);
        await exporter.ExportRunAsync(run.RunId);
        return stored;
    }

    /// <summary>A run with its images; NOT_FOUND when unknown or not the caller's to see.</summary>
    public async Task<RunRecord> GetRunAsync(string? runId, string field, Caller caller, CancellationToken cancellationToken)
    {
        var id = Ids.RequireRunId(runId, field);
        var run = await metadata.GetRunAsync(id, cancellationToken);
        return run is not null && caller.CanSee(run.Tenant) ? run : throw RunNotFound(id);
    }

    /// <summary>An image's record and an open stream of its bytes; NOT_FOUND when unknown or not the caller's to see.</summary>
    public async Task<(ImageRecord Image, Stream Content)> OpenImageAsync(string? imageId, string field, Caller caller, CancellationToken cancellationToken)
    {
        var id = Ids.RequireImageId(imageId, field);
        var image = await metadata.GetImageAsync(id, cancellationToken);
        if (image is null || !await CanSeeRunAsync(caller, image.RunId, cancellationToken))
        {
            throw new StorageException(StorageErrorKind.NotFound, $"image '{id}' does not exist");
        }
        var content = await blobs.OpenReadAsync(image.Sha256, cancellationToken);
        if (content is null)
        {
            StorageLog.BlobMissing(logger, image.ImageId, image.Sha256);
            throw new StorageException(StorageErrorKind.DataLoss, $"the bytes of image '{id}' (sha256 {image.Sha256}) are missing from the blob store");
        }
        return (image, content);
    }

    /// <summary>A page of runs, newest first, and the token of the next page ("" on the last).</summary>
    public async Task<(IReadOnlyList<RunRecord> Runs, string NextPageToken)> ListRunsAsync(
        int pageSize, string? pageToken, RunFilter filter, Caller caller, CancellationToken cancellationToken)
    {
        if (pageSize is < 0 or > 200)
        {
            StorageException.ThrowInvalid("page_size", $"page_size is {pageSize}; allowed: 1-200, or 0 for the default 50");
        }
        var size = pageSize == 0 ? 50 : pageSize;
        if (filter.CreatedAfterMicros is { } from && filter.CreatedBeforeMicros is { } to && from >= to)
        {
            StorageException.ThrowInvalid("created_before", "created_before must be later than created_after");
        }
        var after = string.IsNullOrEmpty(pageToken) ? null : RunCursor.Parse(pageToken, filter.Key);
        var runs = await metadata.ListRunsAsync(filter, caller.IsAdmin ? null : caller.Tenant, after, size + 1, cancellationToken);
        if (runs.Count <= size)
        {
            return (runs, "");
        }
        var page = runs.Take(size).ToList();
        var last = page[^1];
        return (page, new RunCursor(RowValues.ToMicros(last.CreatedAt), last.RunId, filter.Key).ToToken());
    }

    /// <summary>Deletes a run's metadata and the blobs nothing else references; NOT_FOUND when unknown or not the caller's.</summary>
    public async Task<(int ImagesDeleted, int BlobsDeleted)> DeleteRunAsync(string? runId, Caller caller, CancellationToken cancellationToken)
    {
        var id = Ids.RequireRunId(runId, "run_id");
        var images = await metadata.DeleteRunAsync(id, caller.IsAdmin ? null : caller.Tenant, cancellationToken) ?? throw RunNotFound(id);
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

    /// <summary>Claims a run id for a generation (the outcomes of <see cref="ClaimResult"/>); the record names its tenant.</summary>
    public async Task<ClaimRunResponse> ClaimRunAsync(RunRecord? run, Duration? staleAfter, CancellationToken cancellationToken)
    {
        RunValidator.Validate(run, "run.");
        if (run.Tenant.Length == 0)
        {
            StorageException.ThrowInvalid("run.tenant", "run.tenant is required to claim a run id; send the tenant the run is for");
        }
        if (run.RequestDigest.Count == 0)
        {
            StorageException.ThrowInvalid("run.request_digest", "run.request_digest is required to claim a run id; send the digests of what the request asks for");
        }
        var stale = staleAfter?.ToTimeSpan() ?? TimeSpan.Zero;
        if (stale < TimeSpan.Zero)
        {
            StorageException.ThrowInvalid("stale_after", $"stale_after is {stale}; it cannot be negative (0 = {DefaultStaleAfter.TotalMinutes} minutes)");
        }
        var response = await metadata.ClaimRunAsync(run, stale == TimeSpan.Zero ? DefaultStaleAfter : stale, cancellationToken);
        StorageLog.RunClaimed(logger, run.RunId, run.Tenant, response.Result);
        if (response.Result == ClaimResult.Claimed)
        {
            await exporter.ExportRunAsync(run.RunId);
        }
        return response;
    }

    /// <summary>What a tenant's runs cost since <paramref name="since"/> (null: ever); a member may ask only about its own tenant.</summary>
    public async Task<GetSpendResponse> GetSpendAsync(string? tenant, Timestamp? since, Caller caller, CancellationToken cancellationToken)
    {
        var asked = string.IsNullOrEmpty(tenant) ? caller.Tenant : tenant;
        if (Caller.CheckTenant(asked) is { } problem)
        {
            StorageException.ThrowInvalid("tenant", problem);
        }
        if (!caller.IsAdmin && asked != caller.Tenant)
        {
            StorageException.ThrowPermissionDenied($"a member of tenant '{caller.Tenant}' may ask only its own tenant's spend; leave tenant empty");
        }
        return await metadata.GetSpendAsync(asked, since is null ? long.MinValue : RowValues.ToMicros(since), cancellationToken);
    }

    /// <summary>Stores tiles and their rows; returns the stored records.</summary>
    internal async Task<IReadOnlyList<ImageRecord>> StoreTilesAsync(string runId, IReadOnlyList<(ImageRecord Record, byte[] Bytes)> tiles, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        await using (await locks.LockAsync(tiles.Select(t => t.Record.Sha256), cancellationToken))
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
    internal Timestamp Now() =>
        RowValues.ToTimestamp(RowValues.ToMicros(Timestamp.FromDateTimeOffset(time.GetUtcNow())));

    /// <summary>
    /// The record a write stores: a write names its tenant (the spool delivers without a caller); one that names none is
    /// the caller's, except an admin's, which keeps the stored tenant.
    /// </summary>
    private static RunRecord OwnedBy(RunRecord run, Caller caller)
    {
        if (run.Tenant.Length > 0 || caller.IsAdmin)
        {
            return run;
        }
        var owned = run.Clone();
        owned.Tenant = caller.Tenant;
        return owned;
    }

    private async Task<bool> CanSeeRunAsync(Caller caller, string runId, CancellationToken cancellationToken) =>
        caller.IsAdmin || (await metadata.GetRunTenantAsync(runId, cancellationToken) is { } owner && caller.CanSee(owner));

    /// <summary>The one answer for a run that does not exist and for another tenant's run.</summary>
    private static StorageException RunNotFound(string runId) => new(StorageErrorKind.NotFound, $"run '{runId}' does not exist");

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

    /// <summary>
    /// Removes the blob if no image references it, under its lock (here and across replicas): a put counting on it, here
    /// or on another replica, either committed its row first or waits until the removal is done and writes it again.
    /// </summary>
    internal async Task<bool> CollectIfUnreferencedAsync(string sha256)
    {
        await using (await locks.LockAsync(sha256, CancellationToken.None))
        {
            return await CollectIfUnreferencedCoreAsync(sha256);
        }
    }

    private async Task<bool> CollectIfUnreferencedCoreAsync(string sha256) =>
        !await metadata.IsBlobReferencedAsync(sha256, CancellationToken.None) && await blobs.DeleteAsync(sha256, CancellationToken.None);
}
