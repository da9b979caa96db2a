using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Service.Catalogue;

namespace Router.Service.Tests.Catalogue;

public class CatalogueProviderTests
{
    [Fact]
    public void Reload_GoodEdit_SwapsSnapshot()
    {
        using var catalogue = new TestCatalogue();
        var logger = new ListLogger<CatalogueProvider>();
        using var provider = Create(catalogue, logger, watch: false);
        var before = provider.Current;
        catalogue.Edit("configs/gpt-image-1.json", c => c["timeout_seconds"] = 420);

        var result = provider.Reload();

        Assert.True(result.IsValid);
        Assert.NotSame(before, provider.Current);
        Assert.Equal(420, provider.Current.Configs["gpt-image-1"].TimeoutSeconds);
        Assert.Equal(300, before.Configs["gpt-image-1"].TimeoutSeconds);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public void Reload_BadEdit_KeepsLastGoodSnapshotAndLogsWhy()
    {
        using var catalogue = new TestCatalogue();
        var logger = new ListLogger<CatalogueProvider>();
        using var provider = Create(catalogue, logger, watch: false);
        var before = provider.Current;
        catalogue.Edit("configs/gpt-image-1_highquality.json", c => c["parameters"]!["quality"] = "ultra");

        var result = provider.Reload();

        Assert.False(result.IsValid);
        Assert.Same(before, provider.Current);
        var warning = Assert.Single(logger.Entries, e => e.Id.Id == 3);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("parameters.quality = 'ultra' is not allowed", warning.Message);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Watcher_FileEdited_ReloadsAfterDebounce()
    {
        using var catalogue = new TestCatalogue();
        using var provider = Create(catalogue, new ListLogger<CatalogueProvider>(), watch: true);
        await provider.StartAsync(TestContext.Current.CancellationToken);
        var reloaded = new TaskCompletionSource<CatalogueReloadedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += (_, e) =>
        {
            if (e.Current.Configs["dall-e-3"].TimeoutSeconds == 99)
            {
                reloaded.TrySetResult(e);
            }
        };

        catalogue.Edit("configs/dall-e-3.json", c => c["timeout_seconds"] = 99);

        var args = await reloaded.Task.DefaultTimeout();
        Assert.True(args.Result.IsValid);
        Assert.Same(args.Current, provider.Current);
        await provider.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Watcher_BadEdit_KeepsSnapshotAndReportsErrors()
    {
        using var catalogue = new TestCatalogue();
        using var provider = Create(catalogue, new ListLogger<CatalogueProvider>(), watch: true);
        await provider.StartAsync(TestContext.Current.CancellationToken);
        var before = provider.Current;
        var rejected = new TaskCompletionSource<CatalogueReloadedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += (_, e) =>
        {
            if (!e.Result.IsValid)
            {
                rejected.TrySetResult(e);
            }
        };

        catalogue.Write("configs/dall-e-3.json", "{ \"name\": ");

        var args = await rejected.Task.DefaultTimeout();
        Assert.Contains(args.Result.Errors, e => e.File == "configs/dall-e-3.json" && e.Message.Contains("invalid JSON", StringComparison.Ordinal));
        Assert.Same(before, args.Current);
        Assert.Same(before, provider.Current);
        await provider.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Constructor_InvalidCatalogue_ThrowsWithEveryError()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit("configs/dall-e-3.json", c => c["timeout_seconds"] = 0);
        catalogue.Edit("configs/gpt-image-2.json", c => c["chunk"] = "missing");

        var ex = Assert.Throws<InvalidCatalogueException>(() => Create(catalogue, new ListLogger<CatalogueProvider>(), watch: false));

        Assert.Equal(2, ex.Errors.Length);
        Assert.Contains("configs/dall-e-3.json: timeout_seconds = 0", ex.Message);
        Assert.Contains("configs/gpt-image-2.json: chunk = 'missing' does not exist", ex.Message);
    }

    [Fact]
    public async Task AddCatalogue_InvalidCatalogue_HostRefusesToStart()
    {
        using var catalogue = new TestCatalogue();
        catalogue.Edit("configs/dall-e-3.json", c => c["timeout_seconds"] = 0);
        using var host = BuildHost(new() { ["Catalogue:Path"] = catalogue.Directory });

        var ex = await Assert.ThrowsAsync<InvalidCatalogueException>(() => host.StartAsync(TestContext.Current.CancellationToken)).DefaultTimeout();

        Assert.Single(ex.Errors);
    }

    [Fact]
    public async Task AddCatalogue_ValidCatalogue_ProvidesCurrentSnapshot()
    {
        using var catalogue = new TestCatalogue();
        using var host = BuildHost(new() { ["Catalogue:Path"] = catalogue.Directory, ["Catalogue:Watch"] = "false" });

        await host.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        var provider = host.Services.GetRequiredService<CatalogueProvider>();
        Assert.Equal(Path.GetFullPath(catalogue.Directory), provider.Directory);
        Assert.Contains("gpt-image-1", provider.Current.Configs.Keys);
        await host.StopAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AddCatalogue_InvalidOptions_ReportsEveryFailure()
    {
        using var host = BuildHost(new() { ["Catalogue:Path"] = " ", ["Catalogue:ReloadDebounceMilliseconds"] = "-1" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken)).DefaultTimeout();

        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.Contains("Catalogue:Path is empty", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Catalogue:ReloadDebounceMilliseconds = -1", StringComparison.Ordinal));
    }

    private static CatalogueProvider Create(TestCatalogue catalogue, ILogger<CatalogueProvider> logger, bool watch) => new(
        Options.Create(new CatalogueOptions { Path = catalogue.Directory, Watch = watch, ReloadDebounceMilliseconds = 50 }),
        new HostingEnvironment { ContentRootPath = AppContext.BaseDirectory },
        logger,
        TimeProvider.System);

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCatalogue();
        return builder.Build();
    }
}
