using Google.Protobuf;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;
using Grpc.Core;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Spool;
using Router.Service.Storage;

namespace Router.Service.Generation;

/// <summary>
/// Finds a run that was already completed (in the spool, where a run waits while storage was down, then in storage)
/// and replays it: an Accepted frame marked replayed and one REPLAYED Final per image, without calling a provider.
/// Each Final reports the original cost (its even share of the run's cost and usage, with the run's cost_known) and
/// charged_usd_micros 0: a replay charges nothing new.
/// </summary>
internal sealed class RunReplayer(RunStore store, ImageSpool spool, ILogger<RunReplayer> logger)
{
    /// <summary>
    /// The run with id <paramref name="runId"/> that this router completed while storage was down (its completion still
    /// in the spool), with images from the spool and, for those delivered meanwhile, from storage; null when the spool
    /// has no completion of it. UNAVAILABLE when storage is needed and cannot be asked.
    /// </summary>
    public async Task<CompletedRun?> FindSpooledAsync(string runId, Caller caller, CancellationToken cancellationToken)
    {
        var spooled = spool.ListRun(runId);
        if (spooled.LastOrDefault(e => e.CompletesRun) is not { } completion)
        {
            return null;
        }
        var images = spooled.Where(e => e.Image is not null).Select(FromSpool).ToList();
        if (images.Count < completion.ImageCount && caller.CanSee(completion.Run.Tenant))
        {
            var stored = await FindStoredAsync(runId, caller, cancellationToken);
            images.AddRange(stored?.Images.Where(i => images.All(s => s.ImageIndex != i.ImageIndex)).Select(i => FromStorage(i, stored.Images)) ?? []);
        }
        return new CompletedRun(completion.Run, [.. images.OrderBy(i => i.ImageIndex)]);
    }

    /// <summary>A completed run as storage returned it: its images and the tiles cut from them, by index.</summary>
    public static CompletedRun FromStored(RunRecord run) =>
        new(run, [.. run.Images.Select(i => FromStorage(i, run.Images)).OrderBy(i => i.ImageIndex)]);

    /// <summary>Sends the stored result of <paramref name="run"/> (with the bytes when the plan asks for them).</summary>
    public async Task ReplayAsync(CompletedRun run, GenerationPlan plan, IGenerationSink sink, CancellationToken cancellationToken)
    {
        GenerationLog.Replaying(logger, run.Record.RunId, run.Images.Count);
        await sink.WriteAsync(new GenerateFrame
        {
            Accepted = new Accepted
            {
                RunId = run.Record.RunId,
                Config = run.Record.Config,
                Provider = run.Record.Provider,
                Model = run.Record.Model,
                ImageCount = run.Images.Count,
                Replayed = true,
                ParentRunId = run.Record.ParentRunId,
            },
        }, cancellationToken);
        var costKnown = ReplayedCostKnown(run.Record);
        // The run's cost and usage are shared by the images the provider made; tiles cut from them cost nothing.
        var priced = run.Images.Where(i => i.Kind != ImageKind.Tile).ToList();
        for (var i = 0; i < run.Images.Count; i++)
        {
            var image = run.Images[i];
            var share = priced.IndexOf(image);
            var final = new Final
            {
                Usage = run.Record.Usage is { } usage && share >= 0 ? UsageShare(usage, priced.Count, share) : null,
                CostUsdMicros = share >= 0 ? Share(run.Record.CostUsdMicros, priced.Count, share) : 0,
                CostKnown = costKnown,
                ChargedUsdMicros = 0,
                ImageIndex = image.ImageIndex,
                ImageId = image.ImageId,
                MimeType = image.MimeType,
                Width = image.Width,
                Height = image.Height,
                RevisedPrompt = run.Record.RevisedPrompt,
                Storage = new StorageReference
                {
                    ImageId = image.ImageId,
                    UrlPath = RunMapper.ImageUrlPath(image.ImageId),
                    Sha256 = image.Sha256,
                    SizeBytes = image.SizeBytes,
                    Pending = image.Spooled is not null,
                },
                FinishReason = FinishReason.Replayed,
                Last = i == run.Images.Count - 1,
                Kind = image.Kind,
                SourceImageId = image.SourceImageId,
                GridRow = image.GridRow,
                GridColumn = image.GridColumn,
                Config = run.Record.Config,
                Provider = run.Record.Provider,
                Model = run.Record.Model,
            };
            if (plan.IncludeImageData)
            {
                final.Data = await ReadAsync(image, plan.Call.Caller, cancellationToken);
            }
            await sink.WriteAsync(new GenerateFrame { Final = final }, cancellationToken);
        }
    }

    private async Task<ByteString> ReadAsync(CompletedImage image, Caller caller, CancellationToken cancellationToken)
    {
        if (image.Spooled is { } entry)
        {
            try
            {
                return ByteString.CopyFrom(await spool.ReadImageAsync(entry, cancellationToken));
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Delivered to storage meanwhile: read it from there.
            }
        }
        try
        {
            return (await store.ReadImageAsync(image.ImageId, caller, cancellationToken)).Data;
        }
        catch (RpcException ex) when (StorageFailures.IsTransient(ex) && ex.StatusCode != StatusCode.Cancelled)
        {
            throw RouterException.StorageUnavailable($"image '{image.ImageId}' cannot be read", ex);
        }
    }

    private async Task<RunRecord?> FindStoredAsync(string runId, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return await store.FindRunAsync(runId, caller, cancellationToken);
        }
        catch (RpcException ex) when (StorageFailures.IsTransient(ex) && ex.StatusCode != StatusCode.Cancelled)
        {
            throw RouterException.StorageUnavailable($"run '{runId}' cannot be checked for an earlier result", ex);
        }
    }

    /// <summary>Runs recorded before cost_known existed: a cost above 0 came from a price, a 0 may have been a missing one.</summary>
    private static bool ReplayedCostKnown(RunRecord record) => record.HasCostKnown ? record.CostKnown : record.CostUsdMicros > 0;

    /// <summary>Image <paramref name="index"/>'s even share of a run total; the remainder goes to the first images, so shares add up.</summary>
    private static long Share(long total, int count, int index) => (total / count) + (index < total % count ? 1 : 0);

    private static Usage UsageShare(Usage total, int count, int index) => new()
    {
        InputTokens = Share(total.InputTokens, count, index),
        OutputTokens = Share(total.OutputTokens, count, index),
        TotalTokens = Share(total.TotalTokens, count, index),
        InputTextTokens = Share(total.InputTextTokens, count, index),
        InputImageTokens = Share(total.InputImageTokens, count, index),
        OutputImageTokens = Share(total.OutputImageTokens, count, index),
        OutputTextTokens = Share(total.OutputTextTokens, count, index),
        InputCachedTextTokens = Share(total.InputCachedTextTokens, count, index),
        InputCachedImageTokens = Share(total.InputCachedImageTokens, count, index),
        HostModel = total.HostModel,
        HostInputTokens = Share(total.HostInputTokens, count, index),
        HostCachedInputTokens = Share(total.HostCachedInputTokens, count, index),
        HostOutputTokens = Share(total.HostOutputTokens, count, index),
    };

    private static CompletedImage FromStorage(ImageRecord image, IEnumerable<ImageRecord> all) =>
        new(image.ImageIndex, image.ImageId, image.MimeType, image.Width, image.Height, image.SizeBytes, image.Sha256, null)
        {
            Kind = RunMapper.KindOf(image, all),
            SourceImageId = image.SourceImageId,
            GridRow = image.GridRow,
            GridColumn = image.GridColumn,
        };

    private static CompletedImage FromSpool(SpoolEntry entry)
    {
        var image = entry.Image!;
        return new(image.ImageIndex, image.ImageId, image.MimeType, image.Width, image.Height, image.SizeBytes, image.Sha256, entry);
    }
}

/// <summary>A completed run: its record and its images in index order.</summary>
internal sealed record CompletedRun(RunRecord Record, IReadOnlyList<CompletedImage> Images);

/// <summary>An image of a completed run; <paramref name="Spooled"/> is set while it waits in the spool.</summary>
internal sealed record CompletedImage(int ImageIndex, string ImageId, string MimeType, int Width, int Height, long SizeBytes, string Sha256, SpoolEntry? Spooled)
{
    /// <summary>Grid or tile, when the run split grids.</summary>
    public ImageKind Kind { get; init; }

    /// <summary>For a tile: its grid, row and column.</summary>
    public string SourceImageId { get; init; } = "";

    public int GridRow { get; init; }

    public int GridColumn { get; init; }
}
