using Pipeline.Contracts.Storage.V1;

namespace Router.Service.Spool;

/// <summary>
/// One item waiting in the spool for Storage.Service: an image with the run record to store it under, or a run record
/// update alone (a run's completion). Delivered oldest first, so a run's images precede its completion.
/// </summary>
public sealed record SpoolEntry
{
    /// <summary>Required. The entry's folder name, sortable by the time it was spooled.</summary>
    public required string Name { get; init; }

    /// <summary>Required. The run the entry belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>Required. The run record to send (with the image, or as an upsert when <see cref="Image"/> is null).</summary>
    public required RunRecord Run { get; init; }

    /// <summary>The spooled image; null for a run update.</summary>
    public SpooledImage? Image { get; init; }

    /// <summary>For a run update: how many images the run has. Default: 0.</summary>
    public int ImageCount { get; init; }

    /// <summary>Required. When it was spooled.</summary>
    public required DateTimeOffset SpooledAt { get; init; }

    /// <summary>Whether this entry completes its run (a run update whose state is SUCCEEDED).</summary>
    public bool CompletesRun => Image is null && Run.State == RunState.Succeeded;
}

/// <summary>A spooled image's metadata; its bytes are the file <see cref="FileName"/> in the entry's folder.</summary>
/// <param name="ImageIndex">Index of the image in its run.</param>
/// <param name="ImageId">The image id it will have in storage (<c>{run id}-{index}</c>).</param>
/// <param name="MimeType">MIME type as the adapter sniffed it.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="SizeBytes">Size of the bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
/// <param name="FileName">The bytes' file name, e.g. <c>image.png</c>.</param>
public sealed record SpooledImage(int ImageIndex, string ImageId, string MimeType, int Width, int Height, long SizeBytes, string Sha256, string FileName);
