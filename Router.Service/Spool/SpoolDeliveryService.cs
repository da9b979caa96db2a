using Microsoft.Extensions.Options;
using Pipeline.Contracts.Storage.V1;
using Grpc.Core;
using Router.Service.Storage;

namespace Router.Service.Spool;

/// <summary>
/// Delivers spooled entries to Storage.Service, oldest first: at start-up, whenever an entry is written, and — while
/// storage is unavailable — again after a wait that doubles from <see cref="SpoolOptions.RetryInitialDelayMilliseconds"/>
/// up to <see cref="SpoolOptions.RetryMaxDelayMilliseconds"/>. An entry is removed only after storage accepted it, or
/// after one storage refuses for good (<see cref="StorageRefusal"/>) is copied to the <see cref="ImageQuarantine"/> (logged
/// as an error); the run's later record then names the quarantined images in its <c>error</c>. Entries of routers that are
/// gone are adopted into this router's slot (<see cref="ImageSpool.AdoptOrphans"/>) at start-up and when idle.
/// </summary>
internal sealed class SpoolDeliveryService(ImageSpool spool, ImageQuarantine quarantine, RunStore store, IOptions<SpoolOptions> options, ILogger<SpoolDeliveryService> logger)
    : BackgroundService
{
    /// <summary>How often an idle router looks for the spool slots of routers that are gone.</summary>
    public static readonly TimeSpan OrphanCheckInterval = TimeSpan.FromSeconds(15);

    private readonly SpoolOptions _options = options.Value;

    // Run id -> what was quarantined of it, until the run's next record is delivered (the delivery loop is single-threaded).
    private readonly Dictionary<string, List<string>> _quarantined = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        spool.AdoptOrphans();
        if (spool.List().Count is var pending and > 0)
        {
            SpoolLog.PendingAtStart(logger, spool.Directory, pending);
        }
        var delay = _options.RetryInitialDelayMilliseconds;
        var blocked = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (delivered, failure, remaining) = await DeliverAsync(stoppingToken);
                if (failure is null)
                {
                    if (blocked && delivered > 0)
                    {
                        SpoolLog.DeliveryResumed(logger, delivered);
                    }
                    blocked = false;
                    delay = _options.RetryInitialDelayMilliseconds;
                    await WaitForWorkAsync(stoppingToken);
                    continue;
                }
                if (!blocked)
                {
                    SpoolLog.DeliveryBlocked(logger, failure.StatusCode, failure.Status.Detail, remaining, delay);
                }
                blocked = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                SpoolLog.DeliveryFailed(logger, delay, ex);
            }
            await Task.Delay(delay, stoppingToken);
            delay = Math.Min(delay * 2, _options.RetryMaxDelayMilliseconds);
        }
    }

    /// <summary>
    /// Until an entry is written here, or the slot of a router that is gone had entries to adopt (looked at every
    /// <see cref="OrphanCheckInterval"/>).
    /// </summary>
    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        while (!await spool.WaitForEntryAsync(OrphanCheckInterval, stoppingToken) && spool.AdoptOrphans() == 0)
        {
        }
    }

    /// <summary>Delivers entries until the spool is empty or storage fails transiently (returned with the entries left).</summary>
    private async Task<(int Delivered, RpcException? Failure, int Remaining)> DeliverAsync(CancellationToken cancellationToken)
    {
        var entries = spool.List();
        var delivered = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            try
            {
                await DeliverAsync(entry, cancellationToken);
                spool.Remove(entry);
                SpoolLog.EntryDelivered(logger, entry.Name, entry.RunId);
                delivered++;
            }
            catch (RpcException ex) when (StorageRefusal.IsPermanent(ex))
            {
                await QuarantineAsync(entry, StorageRefusal.From(ex), cancellationToken);
            }
            catch (RpcException ex)
            {
                return (delivered, ex, entries.Count - i);
            }
        }
        return (delivered, null, 0);
    }

    private async Task QuarantineAsync(SpoolEntry entry, StorageRefusal refusal, CancellationToken cancellationToken)
    {
        var data = entry.Image is null ? ReadOnlyMemory<byte>.Empty : await spool.ReadImageAsync(entry, cancellationToken);
        var path = await quarantine.QuarantineAsync(entry, data, refusal, origin: "spool");
        spool.Remove(entry);
        SpoolLog.EntryRejected(logger, entry.Name, entry.RunId, refusal.StatusCode, refusal.Detail, path);
        if (entry.Image is { } image)
        {
            if (!_quarantined.TryGetValue(entry.RunId, out var notes))
            {
                _quarantined[entry.RunId] = notes = [];
            }
            notes.Add($"image {image.ImageIndex} ({image.ImageId}) is quarantined: {refusal.Reason}");
        }
    }

    /// <summary>The run record to send for <paramref name="entry"/>, naming images of the run quarantined before it.</summary>
    private RunRecord RunToSend(SpoolEntry entry)
    {
        if (!_quarantined.TryGetValue(entry.RunId, out var notes))
        {
            return entry.Run;
        }
        var run = entry.Run.Clone();
        run.Error = string.Join("; ", run.Error.Length > 0 ? notes.Append(run.Error) : notes);
        return run;
    }

    private async Task DeliverAsync(SpoolEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Image is { } image)
        {
            var data = await spool.ReadImageAsync(entry, cancellationToken);
            await store.PutImageAsync(new PutImageRequest
            {
                Run = entry.Run,
                ImageIndex = image.ImageIndex,
                ImageId = image.ImageId,
                MimeType = image.MimeType,
                Data = Google.Protobuf.ByteString.CopyFrom(data),
            });
        }
        else
        {
            await store.UpsertRunAsync(RunToSend(entry));
            _quarantined.Remove(entry.RunId);
        }
    }
}
