using System.Security.Cryptography;
using Pipeline.Contracts.Provider.V1;
using Pipeline.Contracts.Storage.V1;
using Grpc.Core;
using Pipeline.Imaging;
using Router.Service.Spool;
using Router.Service.Storage;
using Pipeline.ServiceDefaults.Grpc;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Generation;

/// <summary>
/// Makes each final image durable before its Final frame is sent: stored through Storage.Service, or — when storage
/// is unavailable — spooled locally under the same image id and delivered later. Also writes the run record at the
/// start (best effort) and at the end (stored, or spooled after the run's images when the run is pinned to the spool).
/// None of these writes is cancelled by the caller going away: the image is paid for.
/// </summary>
internal sealed class FinalImageWriter(RunStore store, ImageSpool spool, TimeProvider time, ILogger<FinalImageWriter> logger)
{
    /// <summary>
    /// Starts recording the run as RUNNING without holding the generation up; every later write of the run waits for it,
    /// so it never lands after them. A failure is only logged (the images carry the run record too).
    /// </summary>
    public void Start(RunLedger ledger) => ledger.Started = RecordRunningAsync(ledger);

    /// <summary>Stores or spools <paramref name="image"/>; returns where it is.</summary>
    public async Task<StoredImage> WriteAsync(RunLedger ledger, FinalImage image)
    {
        await ledger.Started;
        var imageId = RunIds.ImageId(ledger.RunId, image.ImageIndex);
        if (!ledger.PinnedToSpool)
        {
            try
            {
                var response = await store.PutImageAsync(new PutImageRequest
                {
                    Run = ledger.Record(RunState.Running),
                    ImageIndex = image.ImageIndex,
                    Data = image.Data,
                    MimeType = image.MimeType,
                    ImageId = imageId,
                });
                var stored = response.Image;
                GenerationLog.ImageStored(logger, ledger.RunId, stored.ImageId, stored.SizeBytes, stored.Sha256);
                return new StoredImage(stored.ImageId, stored.Sha256, stored.SizeBytes, Pending: false);
            }
            catch (RpcException ex) when (StorageFailures.IsTransient(ex))
            {
                GenerationLog.StorageUnavailable(logger, ledger.RunId, ex.StatusCode, ex.Status.Detail, image.ImageIndex);
                ledger.PinnedToSpool = true;
            }
            catch (RpcException ex)
            {
                GenerationLog.ImageRefused(logger, ledger.RunId, image.ImageIndex, ex.StatusCode, ex.Status.Detail);
                RouterException.ThrowInternal($"storage refused image {image.ImageIndex} of run '{ledger.RunId}' ({ex.StatusCode}: {ex.Status.Detail})");
            }
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image.Data.Span));
        var extension = ImageFormats.TryParse(image.MimeType, out var format) ? format.ToExtension() : "bin";
        var spooled = new SpooledImage(image.ImageIndex, imageId, image.MimeType, image.Width, image.Height, image.Data.Length, sha256, $"image.{extension}");
        await spool.WriteImageAsync(ledger.Record(RunState.Running), spooled, image.Data.Memory);
        return new StoredImage(imageId, sha256, image.Data.Length, Pending: true);
    }

    /// <summary>Records the run as SUCCEEDED (through the spool when the run is pinned to it or storage is unavailable).</summary>
    public Task CompleteAsync(RunLedger ledger) =>
        EndAsync(ledger, ledger.Record(RunState.Succeeded, time.GetUtcNow()), imageCount: ledger.Stored + ledger.Pending);

    /// <summary>Records the run as FAILED with <paramref name="status"/>; never throws.</summary>
    public async Task FailAsync(RunLedger ledger, RpcStatus status)
    {
        try
        {
            await EndAsync(ledger, ledger.Record(RunState.Failed, time.GetUtcNow(), $"{status.GetStatusCode()}: {status.Message}"), imageCount: 0);
        }
        catch (Exception ex) when (ex is RpcException or IOException or UnauthorizedAccessException)
        {
            GenerationLog.RunRecordNotSaved(logger, ledger.RunId, (ex as RpcException)?.StatusCode ?? StatusCode.Internal, ex.Message);
        }
    }

    private async Task RecordRunningAsync(RunLedger ledger)
    {
        try
        {
            await store.UpsertRunAsync(ledger.Record(RunState.Running));
        }
        catch (RpcException ex)
        {
            GenerationLog.RunRecordNotSaved(logger, ledger.RunId, ex.StatusCode, ex.Status.Detail);
        }
    }

    private async Task EndAsync(RunLedger ledger, RunRecord record, int imageCount)
    {
        await ledger.Started;
        if (!ledger.PinnedToSpool)
        {
            try
            {
                await store.UpsertRunAsync(record);
                return;
            }
            catch (RpcException ex) when (StorageFailures.IsTransient(ex))
            {
                GenerationLog.RunRecordNotSaved(logger, ledger.RunId, ex.StatusCode, ex.Status.Detail);
            }
        }
        await spool.WriteRunAsync(record, imageCount);
    }
}
