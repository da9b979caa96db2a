using System.Security.Cryptography;
using Pipeline.Contracts.Storage.V1;
using Pipeline.Imaging;
using Pipeline.ServiceDefaults.Security;
using Storage.Service.Metadata;

namespace Storage.Service.Grid;

/// <summary>
/// Cuts a stored PNG into rows × columns tiles stored as new PNG images of the same run (the seed's 2×2 grid split).
/// Tile edges are at ⌊i·size/n⌋, so tiles differ by at most one pixel when the size does not divide evenly.
/// Splitting the same image into the same grid again returns the tiles already stored.
/// </summary>
public sealed class GridSplitter(StorageEngine engine, IMetadataStore metadata, ILogger<GridSplitter> logger) : IDisposable
{
    /// <summary>Largest rows or columns value.</summary>
    public const int MaxCells = 16;

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
            if (source.MimeType != ImageFormat.Png.ToMimeType())
            {
                StorageException.ThrowFailedPrecondition($"image '{source.ImageId}' is {source.MimeType}; grid split reads PNG images only");
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

            RgbaImage image;
            try
            {
                image = PngCodec.Decode(bytes);
            }
            catch (InvalidImageException ex)
            {
                throw new StorageException(StorageErrorKind.FailedPrecondition, $"image '{source.ImageId}' cannot be split: {ex.Message}");
            }
            var created = engine.Now();
            var tiles = new List<(ImageRecord, byte[])>(rows * columns);
            for (var row = 0; row < rows; row++)
            {
                var y0 = (int)((long)row * image.Height / rows);
                var y1 = (int)((long)(row + 1) * image.Height / rows);
                for (var column = 0; column < columns; column++)
                {
                    var x0 = (int)((long)column * image.Width / columns);
                    var x1 = (int)((long)(column + 1) * image.Width / columns);
                    var png = PngCodec.Encode(image.Crop(x0, y0, x1 - x0, y1 - y0));
                    tiles.Add((new ImageRecord
                    {
                        Sha256 = Convert.ToHexStringLower(SHA256.HashData(png)),
                        MimeType = ImageFormat.Png.ToMimeType(),
                        Width = x1 - x0,
                        Height = y1 - y0,
                        SizeBytes = png.Length,
                        CreatedAt = created,
                        SourceImageId = source.ImageId,
                        GridRow = row,
                        GridColumn = column,
                    }, png));
                }
            }
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

    private static bool IsSameGrid(IReadOnlyList<ImageRecord> tiles, int rows, int columns) =>
        tiles.Count == rows * columns
        && tiles.Max(t => t.GridRow) == rows - 1
        && tiles.Max(t => t.GridColumn) == columns - 1;
}
