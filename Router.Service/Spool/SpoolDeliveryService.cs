using Microsoft.Extensions.Options;
using Pipeline.Contracts.Storage.V1;
using Grpc.Core;
using Router.Service.Storage;

namespace Router.Service.Spool;

/// <summary>
/// Delivers spooled entries to Storage.Service, oldest first: at start-up, whenever an entry is written, and — while
/// storage is unavailable — again after a wait that doubles from <see cref="SpoolOptions.RetryInitialDelayMilliseconds"/>
/// up to <see cref="SpoolOptions.RetryMaxDelayMilliseconds"/>. An entry is removed only after storage accepted it; one
/// storage refuses for good is moved to <c>rejected/</c> and logged as an error.
/// </summary>
internal sealed class SpoolDeliveryService(ImageSpool spool, RunStore store, IOptions<SpoolOptions> options, ILogger<SpoolDeliveryService> logger)
    : BackgroundService
{
    private readonly SpoolOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                    await spool.WaitForEntryAsync(stoppingToken);
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
            catch (RpcException ex) when (StorageFailures.IsTransient(ex))
            {
                return (delivered, ex, entries.Count - i);
            }
            catch (RpcException ex)
            {
                var path = spool.Reject(entry);
                SpoolLog.EntryRejected(logger, entry.Name, entry.RunId, ex.StatusCode, ex.Status.Detail, path);
            }
        }
        return (delivered, null, 0);
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
            await store.UpsertRunAsync(entry.Run);
        }
    }
}
