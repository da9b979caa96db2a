using System.Buffers.Binary;
using System.Security.Cryptography;
using AppHost.Tests.Fleet;
using Grpc.Core;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;

namespace AppHost.Tests;

/// <summary>The shipped grid-split config through the running fleet: one 2×2 grid and four tiles, all stored, each of the right size.</summary>
[Collection(FleetCollection.Name)]
public sealed class GridSplitFleetTests(FleetFixture fleet)
{
    [Fact]
    public async Task AvatarGridConfig_OneGridAndFourTilesStoredWithTheRightSizes()
    {
        var ct = TestContext.Current.CancellationToken;
        // A reference photo, made by the fleet itself.
        var (made, madeStatus) = await GrpcClients.GenerateAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey,
            new GenerateRequest { Prompt = "a portrait", Config = "gpt-image-1", IncludeImageData = true, Parameters = new() { Size = "1024x1024", Quality = "low" } }, ct).DefaultTimeout();
        Assert.Equal(StatusCode.OK, madeStatus.StatusCode);
        var request = new GenerateRequest { Prompt = "smiling, four backgrounds", Config = "gpt-image-1_avatar_grid", Parameters = new() { Quality = "low" } };
        request.InputImages.Add(new InputImage { Data = made.Single(f => f.FrameCase == GenerateFrame.FrameOneofCase.Final).Final.Data });

        var (frames, status) = await GrpcClients.GenerateAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey, request, ct).DefaultTimeout();

        Assert.Equal(StatusCode.OK, status.StatusCode);
        Assert.Equal(5, frames[0].Accepted.ImageCount);
        var finals = frames.Where(f => f.FrameCase == GenerateFrame.FrameOneofCase.Final).Select(f => f.Final).ToList();
        Assert.Equal([ImageKind.Grid, ImageKind.Tile, ImageKind.Tile, ImageKind.Tile, ImageKind.Tile], finals.Select(f => f.Kind));
        Assert.Equal([(1024, 1024), (512, 512), (512, 512), (512, 512), (512, 512)], finals.Select(f => (f.Width, f.Height)));
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], finals.Skip(1).Select(f => (f.GridRow, f.GridColumn)));
        using var gateway = fleet.CreateGatewayClient(FleetFixture.AlphaKey);
        foreach (var final in finals)
        {
            var stored = await gateway.GetByteArrayAsync(final.Storage.UrlPath, ct).DefaultTimeout();
            Assert.Equal(final.Storage.Sha256, Convert.ToHexStringLower(SHA256.HashData(stored)));
            Assert.Equal((final.Width, final.Height), PngSize(stored));   // what storage serves has the size the frame says
        }
        var run = (await GrpcClients.GetRunAsync(FleetFixture.GatewayGrpc, FleetFixture.AlphaKey, frames[0].Accepted.RunId, ct).DefaultTimeout()).Run!;
        Assert.Equal(finals.Select(f => f.ImageId), run.Images.Select(i => i.ImageId));
    }

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
