using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Contracts.Storage.V1;

namespace Router.Service.Storage;

/// <summary>Storage's run records as the public <c>imagegen.v1.Run</c>.</summary>
public static class RunMapper
{
    /// <summary>The HTTP path of an image (served by Storage.Service, forwarded by the gateway).</summary>
    public static string ImageUrlPath(string imageId) => $"/images/{imageId}";

    /// <summary>A tile (cut from a grid), a grid (some image of the run was cut from it), or a plain image.</summary>
    public static ImageKind KindOf(ImageRecord image, IEnumerable<ImageRecord> runImages) =>
        image.SourceImageId.Length > 0 ? ImageKind.Tile
        : runImages.Any(i => i.SourceImageId == image.ImageId) ? ImageKind.Grid
        : ImageKind.Unspecified;

    /// <summary>The storage state a public status filter selects (unspecified: all).</summary>
    public static RunState ToState(RunStatus status) => status switch
    {
        RunStatus.Running => RunState.Running,
        RunStatus.Succeeded => RunState.Succeeded,
        RunStatus.Failed => RunState.Failed,
        _ => RunState.Unspecified,
    };

    /// <summary>The public form of <paramref name="record"/>.</summary>
    public static Run ToRun(RunRecord record)
    {
        var run = new Run
        {
            RunId = record.RunId,
            Config = record.Config,
            Mode = record.Mode,
            Provider = record.Provider,
            Model = record.Model,
            Operation = record.Operation,
            Prompt = record.Prompt,
            RevisedPrompt = record.RevisedPrompt,
            Parameters = record.Parameters?.Clone(),
            Status = record.State switch
            {
                RunState.Running => RunStatus.Running,
                RunState.Succeeded => RunStatus.Succeeded,
                RunState.Failed => RunStatus.Failed,
                _ => RunStatus.Unspecified,
            },
            CreatedAt = record.CreatedAt?.Clone(),
            CompletedAt = record.CompletedAt?.Clone(),
            Usage = record.Usage?.Clone(),
            CostUsdMicros = record.CostUsdMicros,
            TraceId = record.TraceId,
            Error = record.Error,
            Tenant = Pipeline.ServiceDefaults.Security.Caller.OwnerOf(record.Tenant),
            ParentRunId = record.ParentRunId,
            Local = record.Local,
            Attempts = { record.Attempts.Select(a => a.Clone()) },
        };
        if (record.HasCostKnown)
        {
            run.CostKnown = record.CostKnown;
        }
        foreach (var image in record.Images.OrderBy(i => i.ImageIndex))
        {
            run.Images.Add(new RunImage
            {
                ImageId = image.ImageId,
                ImageIndex = image.ImageIndex,
                MimeType = image.MimeType,
                Width = image.Width,
                Height = image.Height,
                SizeBytes = image.SizeBytes,
                Sha256 = image.Sha256,
                UrlPath = ImageUrlPath(image.ImageId),
                Kind = KindOf(image, record.Images),
                SourceImageId = image.SourceImageId,
                GridRow = image.GridRow,
                GridColumn = image.GridColumn,
            });
        }
        return run;
    }
}
