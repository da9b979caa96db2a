using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Storage.V1;
using Router.Service.Spool;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Spool;

/// <summary>Routers sharing one spool folder: each writes and delivers only its own slot, and adopts the slots of routers that are gone.</summary>
public sealed class SpoolSlotTests : IDisposable
{
    private readonly TempDirectory _root = new("spool-slots");
    private readonly List<ImageSpool> _open = [];

    public void Dispose()
    {
        _open.ForEach(s => s.Dispose());
        _root.Dispose();
    }

    [Fact]
    public async Task TwoRoutersOnOneSpoolFolder_EachListsOnlyItsOwnEntries()
    {
        var first = Open();
        var second = Open();

        await first.WriteRunAsync(new RunRecord { RunId = "of-first" }, 0).DefaultTimeout();
        await second.WriteRunAsync(new RunRecord { RunId = "of-second" }, 0).DefaultTimeout();

        Assert.NotEqual(first.Directory, second.Directory);
        Assert.Equal(["of-first"], first.List().Select(e => e.RunId));
        Assert.Equal(["of-second"], second.List().Select(e => e.RunId));
        Assert.Equal(0, first.AdoptOrphans());
        Assert.Equal(0, second.AdoptOrphans());
    }

    [Fact]
    public async Task RouterGone_AnotherAdoptsItsEntriesOnceAndInOrder()
    {
        var survivor = Open();
        var gone = Open();
        await gone.WriteRunAsync(new RunRecord { RunId = "a" }, 0).DefaultTimeout();
        await gone.WriteRunAsync(new RunRecord { RunId = "b" }, 0).DefaultTimeout();
        Close(gone);

        Assert.Equal(2, survivor.AdoptOrphans());

        Assert.Equal(["a", "b"], survivor.List().Select(e => e.RunId));
        Assert.Equal(0, survivor.AdoptOrphans());
        Assert.Equal(["a", "b"], survivor.List().Select(e => e.RunId));
    }

    [Fact]
    public async Task FirstSlotFreed_NextRouterTakesItAndDeliversWhatWasLeft()
    {
        var first = Open();
        var firstDirectory = first.Directory;
        await first.WriteRunAsync(new RunRecord { RunId = "left" }, 0).DefaultTimeout();
        var second = Open();
        Close(first);

        var restarted = Open();

        Assert.Equal(firstDirectory, restarted.Directory);
        Assert.NotEqual(second.Directory, restarted.Directory);
        Assert.Equal(["left"], restarted.List().Select(e => e.RunId));
        Assert.Empty(second.List());
    }

    private ImageSpool Open()
    {
        var spool = new ImageSpool(Options.Create(new SpoolOptions { Directory = "spool" }), new HostingEnvironment { ContentRootPath = _root.Path },
            NullLogger<ImageSpool>.Instance, TimeProvider.System);
        _open.Add(spool);
        return spool;
    }

    private void Close(ImageSpool spool)
    {
        spool.Dispose();
        _open.Remove(spool);
    }
}
