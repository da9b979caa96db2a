using Google.Protobuf;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Tests.TestSupport;
using GetRunRequest = Pipeline.Contracts.Storage.V1.GetRunRequest;

namespace Router.Service.Tests.Generation;

/// <summary>
/// A config with <c>post_processing.grid_split</c>: the provider's grid is stored, split into tiles stored as images of
/// the run in order, and the caller gets the grid's Final frame and then one per tile, each saying what it is.
/// </summary>
public sealed class GridPostProcessorTests : IAsyncLifetime
{
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync() => _fleet = await TestFleet.StartAsync();

    public async ValueTask DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Generate_GridSplitConfig_GridThenFourTilesStoredInOrder()
    {
        var result = (await _fleet.GenerateAsync(AvatarGrid("grid-run"))).EnsureOk();

        Assert.Equal(5, result.Accepted.ImageCount);
        var finals = result.Finals;
        Assert.Equal([ImageKind.Grid, ImageKind.Tile, ImageKind.Tile, ImageKind.Tile, ImageKind.Tile], finals.Select(f => f.Kind));
        Assert.Equal([0, 1, 2, 3, 4], finals.Select(f => f.ImageIndex));
        Assert.Equal([false, false, false, false, true], finals.Select(f => f.Last));
        var grid = finals[0];
        Assert.Equal((16, 12, FinishReason.Stored), (grid.Width, grid.Height, grid.FinishReason));   // the scripted adapter's 16x12 image
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], finals.Skip(1).Select(t => (t.GridRow, t.GridColumn)));
        Assert.All(finals.Skip(1), t =>
        {
            Assert.Equal((8, 6, grid.ImageId, FinishReason.Stored, 0L), (t.Width, t.Height, t.SourceImageId, t.FinishReason, t.ChargedUsdMicros));
            Assert.Equal("gpt-image-1_avatar_grid", t.Config);
        });
        var run = await _fleet.Storage.Client.GetRunAsync(new GetRunRequest { RunId = "grid-run" }).ResponseAsync.DefaultTimeout();
        Assert.Equal(finals.Select(f => f.ImageId), run.Images.OrderBy(i => i.ImageIndex).Select(i => i.ImageId));
        Assert.Equal(finals.Select(f => f.Storage.Sha256), run.Images.OrderBy(i => i.ImageIndex).Select(i => i.Sha256));
        var publicRun = await _fleet.Client.GetRunAsync(new Pipeline.Contracts.ImageGen.V1.GetRunRequest { RunId = "grid-run" }).ResponseAsync.DefaultTimeout();
        Assert.Equal(finals.Select(f => (f.Kind, f.GridRow, f.GridColumn)), publicRun.Images.Select(i => (i.Kind, i.GridRow, i.GridColumn)));
    }

    [Fact]
    public async Task Generate_GridSplitRunReplayed_SameGridAndTilesWithTheirKindsAndNoNewCharge()
    {
        var first = (await _fleet.GenerateAsync(AvatarGrid("grid-replay"))).EnsureOk();

        var replay = (await _fleet.GenerateAsync(AvatarGrid("grid-replay"))).EnsureOk();

        Assert.True(replay.Accepted.Replayed);
        Assert.Single(_fleet.AdapterCalls);
        Assert.Equal(first.Finals.Select(f => (f.ImageId, f.Kind, f.GridRow, f.GridColumn)), replay.Finals.Select(f => (f.ImageId, f.Kind, f.GridRow, f.GridColumn)));
        Assert.Equal(first.Finals[0].CostUsdMicros, replay.Finals[0].CostUsdMicros);   // the grid carries the run's cost, tiles none
        Assert.All(replay.Finals.Skip(1), t => Assert.Equal(0, t.CostUsdMicros));
        Assert.All(replay.Finals, f => Assert.Equal(0, f.ChargedUsdMicros));
    }

    private static GenerateRequest AvatarGrid(string runId)
    {
        var request = new GenerateRequest { Prompt = "smiling, different backgrounds", Config = "gpt-image-1_avatar_grid", RunId = runId };
        request.InputImages.Add(new InputImage { Data = ByteString.CopyFrom(TestImages.Png(seed: 3)) });
        return request;
    }
}
