using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Storage;

namespace Router.Service.Generation;

/// <summary>
/// The <c>grid_split</c> post-processing step of a config: once the provider's stream is over and every grid image is
/// stored, each grid is split by Storage.Service into tiles stored as images of the run (after the provider's images,
/// in order), and the caller gets the grid's Final frame followed by one per tile. When an image of the run is not in
/// storage (spooled or quarantined), or storage cannot split a grid, the grids keep their Final frames with the reason
/// in finish_detail.
/// </summary>
internal sealed class GridPostProcessor(RunStore store, ILogger<GridPostProcessor> logger)
{
    /// <summary>The frames to send for <paramref name="grids"/> (index order): each grid, then its tiles.</summary>
    public async Task<IReadOnlyList<Final>> SplitAsync(GenerationPlan plan, GenerationAttempt attempt, IEnumerable<Final> grids, CancellationToken cancellationToken)
    {
        var split = attempt.Config.PostProcessing.GridSplit!;
        var frames = new List<Final>();
        var ordered = grids.OrderBy(g => g.ImageIndex).ToList();
        // Tiles take the run's next free indexes in storage: with an image of the run still outside storage (spooled or
        // quarantined), a tile could take that image's index, so nothing is split.
        var outside = ordered.FirstOrDefault(g => g.FinishReason != FinishReason.Stored);
        foreach (var grid in ordered)
        {
            grid.Kind = ImageKind.Grid;
            frames.Add(grid);
            if (outside is not null)
            {
                grid.FinishDetail = Join(grid.FinishDetail, $"not split into tiles: image {outside.ImageIndex} of the run is not in storage ({outside.FinishReason})");
                continue;
            }
            SplitGridResponse response;
            try
            {
                response = await store.SplitGridAsync(grid.ImageId, split.Rows, split.Columns, plan.Call.Caller);
            }
            catch (RpcException ex)
            {
                GenerationLog.GridNotSplit(logger, plan.RunId, grid.ImageId, ex.StatusCode, ex.Status.Detail);
                grid.FinishDetail = Join(grid.FinishDetail, $"not split into tiles: storage answered {ex.StatusCode}: {ex.Status.Detail}");
                continue;
            }
            foreach (var tile in response.Tiles)
            {
                frames.Add(await TileAsync(plan, attempt, tile, cancellationToken));
            }
        }
        return frames;
    }

    private async Task<Final> TileAsync(GenerationPlan plan, GenerationAttempt attempt, ImageRecord tile, CancellationToken cancellationToken)
    {
        var final = new Final
        {
            ImageIndex = tile.ImageIndex,
            ImageId = tile.ImageId,
            MimeType = tile.MimeType,
            Width = tile.Width,
            Height = tile.Height,
            CostKnown = true,
            Storage = new StorageReference { ImageId = tile.ImageId, UrlPath = RunMapper.ImageUrlPath(tile.ImageId), Sha256 = tile.Sha256, SizeBytes = tile.SizeBytes },
            FinishReason = FinishReason.Stored,
            Config = attempt.Config.Name,
            Provider = attempt.Provider,
            Model = attempt.Model,
            Kind = ImageKind.Tile,
            SourceImageId = tile.SourceImageId,
            GridRow = tile.GridRow,
            GridColumn = tile.GridColumn,
        };
        if (plan.IncludeImageData)
        {
            final.Data = (await store.ReadImageAsync(tile.ImageId, plan.Call.Caller, cancellationToken)).Data;
        }
        return final;
    }

    private static string Join(string first, string second) => first.Length == 0 ? second : $"{first}; {second}";
}
