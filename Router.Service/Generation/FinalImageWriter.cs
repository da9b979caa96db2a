using System.Runtime.CompilerServices;
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
/// is unavailable — spooled locally under the same image id and delivered later, or — when storage refuses it for good
/// (<see cref="StorageRefusal"/>, e.g. over its size cap) — kept in the <see cref="ImageQuarantine"/>. Also writes the run
/// record at the start (best effort) and at the end (stored, or spooled after the run's images when the run is pinned to
/// the spool; its error names the quarantined images). None of these writes is cancelled by the caller going away: the
/// image is paid for.
/// </summary>
internal sealed class FinalImageWriter(RunStore store, ImageSpool spool, ImageQuarantine quarantine, TimeProvider time, ILogger<FinalImageWriter> logger)
{
    // What each run in flight had quarantined, for its final record (kept off RunLedger; gone with the ledger).
    private readonly ConditionalWeakTable<RunLedger, List<string>> _quarantined = [];

    /// <summary>
    /// Starts recording the run as RUNNING (unless its run id's claim already did) without holding the generation up;
    /// every later write of the run waits for it, so it never lands after them. A failure is only logged (the images carry
    /// the run record too).
    /// </summary>
    public void Start(RunLedger ledger) => ledger.Started = ledger.Claimed ? Task.CompletedTask : RecordRunningAsync(ledger);

    /// <summary>
    /// Stores, spools or quarantines <paramref name="image"/> (already accounted in the ledger); returns where it is. When
    /// <paramref name="completesRun"/> (the run's last image) and nothing of the run was quarantined, storage records the run
    /// as SUCCEEDED in the same transaction as the image, so the final frame leaves with the run already complete and
    /// <see cref="CompleteAsync"/> has nothing left to write (one storage round trip and one commit fewer per run).
    /// </summary>
    public async Task<StoredImage> WriteAsync(RunLedger ledger, FinalImage image, bool completesRun = false)
    {
        await ledger.Started;
        var imageId = RunIds.ImageId(ledger.RunId, image.ImageIndex);
        if (!ledger.PinnedToSpool)
        {
            var completes = completesRun && !HasQuarantined(ledger);
            try
            {
                var response = await store.PutImageAsync(new PutImageRequest
                {
                    Run = completes ? ledger.Record(RunState.Succeeded, time.GetUtcNow()) : ledger.Record(RunState.Running),
                    ImageIndex = image.ImageIndex,
                    Data = image.Data,
                    MimeType = image.MimeType,
                    ImageId = imageId,
                });
                var stored = response.Image;
                ledger.CompletedInStorage = completes;
                GenerationLog.ImageStored(logger, ledger.RunId, stored.ImageId, stored.SizeBytes, stored.Sha256);
                return new StoredImage(stored.ImageId, stored.Sha256, stored.SizeBytes, Pending: false);
            }
            catch (RpcException ex) when (StorageRefusal.IsPermanent(ex))
            {
                return await QuarantineAsync(ledger, image, imageId, StorageRefusal.From(ex));
            }
            catch (RpcException ex)
            {
                GenerationLog.StorageUnavailable(logger, ledger.RunId, ex.StatusCode, ex.Status.Detail, image.ImageIndex);
                ledger.PinnedToSpool = true;
            }
        }

        var spooled = ToSpooled(image, imageId);
        await spool.WriteImageAsync(ledger.Record(RunState.Running), spooled, image.Data.Memory);
        return new StoredImage(imageId, spooled.Sha256, image.Data.Length, Pending: true);
    }

    /// <summary>
    /// Records the run as SUCCEEDED (through the spool when the run is pinned to it or storage is unavailable), unless its
    /// last image already did.
    /// </summary>
    public Task CompleteAsync(RunLedger ledger) => ledger.CompletedInStorage
        ? Task.CompletedTask
        : EndAsync(ledger, ledger.Record(RunState.Succeeded, time.GetUtcNow(), QuarantineNote(ledger)), imageCount: ledger.Stored + ledger.Pending);

    /// <summary>Records the run as FAILED with <paramref name="status"/>; never throws.</summary>
    public async Task FailAsync(RunLedger ledger, RpcStatus status)
    {
        try
        {
            var note = QuarantineNote(ledger);
            var error = $"{status.GetStatusCode()}: {status.Message}" + (note.Length > 0 ? $"; {note}" : "");
            await EndAsync(ledger, ledger.Record(RunState.Failed, time.GetUtcNow(), error), imageCount: 0);
        }
        catch (Exception ex) when (ex is RpcException or IOException or UnauthorizedAccessException)
        {
            GenerationLog.RunRecordNotSaved(logger, ledger.RunId, (ex as RpcException)?.StatusCode ?? StatusCode.Internal, ex.Message);
        }
    }

    /// <summary>Keeps the image storage refused for good in the quarantine (durably; failing that, the run fails).</summary>
    private async Task<StoredImage> QuarantineAsync(RunLedger ledger, FinalImage image, string imageId, StorageRefusal refusal)
    {
        var quarantined = ToSpooled(image, imageId);
        var entry = spool.NewImageEntry(ledger.Record(RunState.Running), quarantined);
        var path = await quarantine.QuarantineAsync(entry, image.Data.Memory, refusal, origin: "generation");
        GenerationLog.ImageQuarantined(logger, ledger.RunId, image.ImageIndex, refusal.Status, refusal.Detail, path);
        _quarantined.GetOrCreateValue(ledger).Add($"image {image.ImageIndex} ({imageId}) is quarantined: {refusal.Reason}");
        return new StoredImage(imageId, quarantined.Sha256, image.Data.Length, Pending: false, QuarantineReason: refusal.Reason);
    }

    /// <summary>Whether any image of the run was quarantined.</summary>
    private bool HasQuarantined(RunLedger ledger) => _quarantined.TryGetValue(ledger, out var notes) && notes.Count > 0;

    /// <summary>Which images of the run were quarantined and why; empty when none.</summary>
    private string QuarantineNote(RunLedger ledger) =>
        _quarantined.TryGetValue(ledger, out var notes) ? string.Join("; ", notes) : "";

    private static SpooledImage ToSpooled(FinalImage image, string imageId)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image.Data.Span));
        var extension = ImageFormats.TryParse(image.MimeType, out var format) ? format.ToExtension() : "bin";
        return new SpooledImage(image.ImageIndex, imageId, image.MimeType, image.Width, image.Height, image.Data.Length, sha256, $"image.{extension}");
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
