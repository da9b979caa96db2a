using Grpc.Core;
using Pipeline.Contracts.Storage.V1;
using Pipeline.Imaging;
using SkiaSharp;
using Storage.Service.Tests.TestSupport;

namespace Storage.Service.Tests.Grid;

public abstract class GridSplitterTests(StorageBackend backend)
{
    [Theory]
    [InlineData(ImageFormat.Png, 0)]
    [InlineData(ImageFormat.Jpeg, 40)]
    [InlineData(ImageFormat.WebP, 40)]
    public async Task SplitGrid_TwoByTwo_FourTilesInTheSourceFormatOfTheRightSizeAndContent(ImageFormat format, int tolerance)
    {
        await using var host = await StorageHost.StartAsync(backend);
        var grid = TestImages.Quadrants(64, 48, format);
        await host.Client.PutImageAsync(Requests.Put("grid", 0, grid), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var response = await host.Client.SplitGridAsync(new SplitGridRequest { ImageId = "grid-0", Rows = 2, Columns = 2 }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal(4, response.Tiles.Count);
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], response.Tiles.Select(t => (t.GridRow, t.GridColumn)));
        Assert.Equal([1, 2, 3, 4], response.Tiles.Select(t => t.ImageIndex));
        SKColor[] expected = [new(255, 0, 0), new(0, 255, 0), new(0, 0, 255), new(255, 255, 255)];
        for (var i = 0; i < 4; i++)
        {
            var tile = response.Tiles[i];
            Assert.Equal(("grid", "grid-0", 32, 24, format.ToMimeType()), (tile.RunId, tile.SourceImageId, tile.Width, tile.Height, tile.MimeType));
            var (_, bytes, _) = await Requests.ReadImageAsync(host.Client, tile.ImageId).DefaultTimeout();
            Assert.Equal(tile.Sha256, Requests.Sha256(bytes));
            TestImages.AssertImage(bytes, format, 32, 24);
            using var decoded = TestImages.Decode(bytes);
            AssertClose(expected[i], decoded.GetPixel(16, 12), tolerance);
            AssertClose(expected[i], decoded.GetPixel(2, 2), tolerance);
            AssertClose(expected[i], decoded.GetPixel(29, 21), tolerance);
        }
        var run = await host.Client.GetRunAsync(new GetRunRequest { RunId = "grid" }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        Assert.Equal(5, run.Images.Count);
        await Requests.AssertBlobsMatchRowsAsync(host);
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.WebP)]
    public async Task SplitGrid_SizeNotDivisible_LastRowAndColumnTakeTheRemainder(ImageFormat format)
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("odd", 0, TestImages.Encode(format, 101, 67)), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var response = await host.Client.SplitGridAsync(new SplitGridRequest { ImageId = "odd-0", Rows = 2, Columns = 3 }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal([33, 34, 34], response.Tiles.Take(3).Select(t => t.Width));
        Assert.Equal([33, 34], response.Tiles.Where(t => t.GridColumn == 0).Select(t => t.Height));
        foreach (var tile in response.Tiles)
        {
            var (_, bytes, _) = await Requests.ReadImageAsync(host.Client, tile.ImageId).DefaultTimeout();
            using var decoded = TestImages.Decode(bytes);
            Assert.Equal((tile.Width, tile.Height), (decoded.Width, decoded.Height));
            Assert.Equal(format, ImageInspector.Inspect(bytes).Format);
        }
    }

    private static void AssertClose(SKColor expected, SKColor actual, int tolerance) =>
        Assert.True(
            Math.Abs(expected.Red - actual.Red) <= tolerance && Math.Abs(expected.Green - actual.Green) <= tolerance && Math.Abs(expected.Blue - actual.Blue) <= tolerance,
            $"pixel {actual} is not within {tolerance} of {expected}");

    [Fact]
    public async Task SplitGrid_SizeNotDivisible_TilesCoverEveryPixel()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("odd", 0, TestImages.Png(10, 7)), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var response = await host.Client.SplitGridAsync(new SplitGridRequest { ImageId = "odd-0", Rows = 2, Columns = 3 }, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal([3, 3, 4], response.Tiles.Take(3).Select(t => t.Width));
        Assert.Equal([3, 4], response.Tiles.Where(t => t.GridColumn == 0).Select(t => t.Height));
        Assert.Equal(70, response.Tiles.Sum(t => t.Width * t.Height));
    }

    [Fact]
    public async Task SplitGrid_SameGridAgain_ReturnsTheStoredTiles()
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("again", 0, TestImages.Png(8, 8)), Requests.Timeout).ResponseAsync.DefaultTimeout();
        var request = new SplitGridRequest { ImageId = "again-0", Rows = 2, Columns = 2 };

        var first = await host.Client.SplitGridAsync(request, Requests.Timeout).ResponseAsync.DefaultTimeout();
        var second = await host.Client.SplitGridAsync(request, Requests.Timeout).ResponseAsync.DefaultTimeout();

        Assert.Equal(first.Tiles, second.Tiles);
        var run = await host.Client.GetRunAsync(new GetRunRequest { RunId = "again" }, Requests.Timeout).ResponseAsync.DefaultTimeout();
        Assert.Equal(5, run.Images.Count);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(2, 17)]
    [InlineData(9, 2)]
    public async Task SplitGrid_GridOutOfRange_InvalidArgument(int rows, int columns)
    {
        await using var host = await StorageHost.StartAsync(backend);
        await host.Client.PutImageAsync(Requests.Put("small", 0, TestImages.Png(8, 8)), Requests.Timeout).ResponseAsync.DefaultTimeout();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.SplitGridAsync(
            new SplitGridRequest { ImageId = "small-0", Rows = rows, Columns = columns }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task SplitGrid_UnknownImage_NotFound()
    {
        await using var host = await StorageHost.StartAsync(backend);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.SplitGridAsync(
            new SplitGridRequest { ImageId = "none", Rows = 2, Columns = 2 }, Requests.Timeout).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    /// <summary>On SQLite metadata.</summary>
    public sealed class Sqlite() : GridSplitterTests(StorageBackend.Sqlite);

    /// <summary>On PostgreSQL metadata.</summary>
    public sealed class Postgres() : GridSplitterTests(StorageBackend.Postgres);
}
