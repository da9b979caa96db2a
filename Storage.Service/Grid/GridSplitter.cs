using System.Security.Cryptography;
using Pipeline.Contracts.Storage.V1;
using Pipeline.Imaging;
using Pipeline.ServiceDefaults.Security;
using SkiaSharp;
using Storage.Service.Configuration;
using Storage.Service.Metadata;

namespace Storage.Service.Grid;

/// <summary>
/// Cuts a stored PNG, JPEG or WebP into rows × columns tiles stored as new images of the same run, in the source's format
/// (JPEG and WebP at quality <see cref="TileQuality"/>), each with its source image id, row and column (the seed's 2×2 grid
/// split). Tile edges are at ⌊i·size/n⌋, so the last row and column take the remainder when the size does not divide evenly.
/// The image is verified complete and within <see cref="StorageOptions.ImageLimits"/> before it is decoded.
/// Splitting the same image into the same grid again returns the tiles already stored.
/// </summary>
public sealed class GridSplitter(StorageEngine engine, IMetadataStore metadata, StorageOptions options, ILogger<GridSplitter> logger) : IDisposable
{
    /// <summary>Largest rows or columns value.</summary>
    public const int MaxCells = 16;

    /// <summary>Encoder quality of JPEG and WebP tiles (0-100).</summary>
    public const int TileQuality = 95;

    private readonly SemaphoreSlim _splitLock = new(1, 1);

    /// <summary>Splits an image the caller may see (another tenant's is NOT_FOUND, as an unknown one).</summary>
    public async Task<IReadOnlyList<ImageRecord>> SplitAsync(string? imageId, int rows, int columns, Caller caller, CancellationToken cancellationToken)
    {
        if (rows is < 1 or > MaxCells)
        {
            StorageException.ThrowInvalid("rows", $"rows is {rows}; allowed: 1-{MaxCells}");
        }
        if (columns is < 1 or > MaxCells)
        {
            StorageException.ThrowInvalid("columns", $"columns is {columns}; allowed: 1-{MaxCells}");
        }
        await _splitLock.WaitAsync(cancellationToken);
        try
        {
            var (source, content) = await engine.OpenImageAsync(imageId, "image_id", caller, cancellationToken);
            byte[] bytes;
            await using (content)
            {
                bytes = new byte[content.Length];
                await content.ReadExactlyAsync(bytes, cancellationToken);
            }
            if (rows > source.Height || columns > source.Width)
            {
                StorageException.ThrowInvalid(rows > source.Height ? "rows" : "columns",
                    $"a {rows}x{columns} grid does not fit a {source.Width}x{source.Height} image; every tile needs at least one pixel");
            }
            var existing = await metadata.GetTilesAsync(source.ImageId, cancellationToken);
            if (IsSameGrid(existing, rows, columns))
            {
                return existing;
            }

            var tiles = Cut(source, bytes, rows, columns, engine.Now());
            var stored = await engine.StoreTilesAsync(source.RunId, tiles, cancellationToken);
            StorageLog.GridSplit(logger, source.ImageId, rows, columns);
            return stored;
        }
        finally
        {
            _splitLock.Release();
        }
    }

    public void Dispose() => _splitLock.Dispose();

    private List<(ImageRecord, byte[])> Cut(ImageRecord source, byte[] bytes, int rows, int columns, Google.Protobuf.WellKnownTypes.Timestamp created)
    {
        if (!ImageVerifier.TryVerify(bytes, options.ImageLimits, out var info, out var problem))
        {
            throw new StorageException(StorageErrorKind.FailedPrecondition, $"image '{source.ImageId}' cannot be split: {problem}");
        }
        using var image = SKBitmap.Decode(bytes, new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul))
            ?? throw new StorageException(StorageErrorKind.FailedPrecondition, $"image '{source.ImageId}' cannot be split: its {info.MimeType} data does not decode");
        var tiles = new List<(ImageRecord, byte[])>(rows * columns);
        for (var row = 0; row < rows; row++)
        {
            var y0 = (int)((long)row * info.Height / rows);
            var y1 = (int)((long)(row + 1) * info.Height / rows);
            for (var column = 0; column < columns; column++)
            {
                var x0 = (int)((long)column * info.Width / columns);
                var x1 = (int)((long)(column + 1) * info.Width / columns);
                var tile = Encode(image, SKRectI.Create(x0, y0, x1 - x0, y1 - y0), info.Format);
                tiles.Add((new ImageRecord
                {
                    Sha256 = Convert.ToHexStringLower(SHA256.HashData(tile)),
                    MimeType = info.MimeType,
                    Width = x1 - x0,
                    Height = y1 - y0,
                    SizeBytes = tile.Length,
                    CreatedAt = created,
                    SourceImageId = source.ImageId,
                    GridRow = row,
                    GridColumn = column,
                }, tile));
            }
        }
        return tiles;
    }

    private static byte[] Encode(SKBitmap image, SKRectI rect, ImageFormat format)
    {
        using var tile = new SKBitmap();
        if (!image.ExtractSubset(tile, rect))
        {
            throw new InvalidOperationException($"tile {rect} does not fit the {image.Width}x{image.Height} image");
        }
        using var data = format switch
        {
            ImageFormat.Jpeg => tile.Encode(SKEncodedImageFormat.Jpeg, TileQuality),
            ImageFormat.WebP => tile.Encode(SKEncodedImageFormat.Webp, TileQuality),
            _ => tile.Encode(SKEncodedImageFormat.Png, 100),
        };
        return data?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp could not encode a {rect.Width}x{rect.Height} {format} tile");
    }

    private static bool IsSameGrid(IReadOnlyList<ImageRecord> tiles, int rows, int columns) =>
        tiles.Count == rows * columns
        && tiles.Max(t => t.GridRow) == rows - 1
        && tiles.Max(t => t.GridColumn) == columns - 1;
}
