using System.Text.Json;
using Gateway.Tests.TestSupport;

namespace Gateway.Tests.Web;

/// <summary>
/// The web page at <c>/</c> in a real browser (headless Chromium over the DevTools protocol): key, German catalogue
/// names, a prompt, partial frames arriving before the final image, recent runs, a download. Screenshots are kept.
/// </summary>
public sealed class WebPageBrowserTests : IAsyncLifetime
{
    private GatewayEnvironment _env = null!;

    public async ValueTask InitializeAsync() => _env = await GatewayEnvironment.StartAsync();

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task SubmitPrompt_PartialFramesThenFinalImage_RunListedAndDownloadable()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _env.Router.Script.HoldBeforeFinal = hold;
        _env.Router.Script.ImageSize = 256;
        await using var browser = await HeadlessChromium.StartAsync("de-DE");

        await browser.NavigateAsync(_env.Gateway.HttpAddress);
        await browser.TypeAsync("#api-key", GatewayEnvironment.ApiKey);
        await browser.ClickAsync("#key-form button");
        await browser.WaitForAsync("document.querySelectorAll('#config option').length > 0");

        // The catalogue's default streaming config is preselected, named in the browser's language.
        Assert.Equal("gpt-image-1_responses", (await browser.EvaluateAsync("document.getElementById('config').value")).GetString());
        Assert.Equal(FakeCatalogue.GermanDisplayName, (await browser.EvaluateAsync("document.getElementById('config').selectedOptions[0].textContent")).GetString());
        Assert.Equal("2", (await browser.EvaluateAsync("document.getElementById('partials').value")).GetString());

        await browser.TypeAsync("#prompt", "Ein Leuchtturm in der Dämmerung");
        await browser.ClickAsync("#generate-button");
        await browser.WaitForAsync("[...document.querySelectorAll('#frames img.partial-frame')].filter(i => i.complete && i.naturalWidth === 256).length === 2");
        Assert.Equal(0, await CountAsync(browser, "#result img.final-image"));
        TestArtifacts.Save("web-page-partial-frames.png", await browser.ScreenshotAsync(), "image/png");
        hold.SetResult();

        await browser.WaitForAsync("[...document.querySelectorAll('#result img.final-image')].some(i => i.complete && i.naturalWidth === 256)");
        var imageId = (await browser.EvaluateAsync("document.querySelector('#result img.final-image').dataset.imageId")).GetString()!;
        var stored = await _env.Storage.ReadImageAsync(imageId).DefaultTimeout();
        var generate = Assert.Single(_env.Router.Calls.Generates);
        Assert.Equal("Ein Leuchtturm in der Dämmerung", generate.Prompt);
        Assert.Equal("gpt-image-1_responses", generate.Config);

        // Recent runs show the new run with its image (fetched through the gateway with the key).
        await browser.WaitForAsync("[...document.querySelectorAll('#run-list li .thumbs img')].some(i => i.complete && i.naturalWidth === 256)");
        Assert.Contains("Ein Leuchtturm", (await browser.EvaluateAsync("document.querySelector('#run-list li .prompt').textContent")).GetString());
        TestArtifacts.Save("web-page-final-image.png", await browser.ScreenshotAsync(), "image/png");

        await browser.ClickAsync("#result figcaption a[download]");
        var downloaded = Path.Combine(browser.Downloads, imageId + ".png");
        await TaskTimeouts.WaitUntilAsync(() => Task.FromResult(File.Exists(downloaded) && new FileInfo(downloaded).Length == stored.Length));
        Assert.Equal(stored, await File.ReadAllBytesAsync(downloaded));
        Assert.Empty(browser.DevTools.PageErrors);
        Assert.All(_env.Router.Calls.All, call => Assert.Null(call.Authorization));
    }

    [Fact]
    public async Task SubmitPrompt_FallbackServes_StatusNamesTheServingConfigAndWhyTheFirstFailed()
    {
        _env.Router.Script.FallbackTo = "gemini-2.5-flash-image";
        _env.Router.Script.FallbackReason = "openai is down";
        await using var browser = await HeadlessChromium.StartAsync("en-US");

        await browser.NavigateAsync(_env.Gateway.HttpAddress);
        await browser.TypeAsync("#api-key", GatewayEnvironment.ApiKey);
        await browser.ClickAsync("#key-form button");
        await browser.WaitForAsync("document.querySelectorAll('#config option').length > 0");
        await browser.TypeAsync("#prompt", "a lighthouse");
        await browser.ClickAsync("#generate-button");
        await browser.WaitForAsync("document.getElementById('status').textContent.startsWith('Done')");

        Assert.Equal("Done: 1 image(s) stored, served by gemini-2.5-flash-image (openrouter/google/gemini-2.5-flash-image) " +
            "(gpt-image-1_responses failed: UNAVAILABLE: openai is down).", (await browser.EvaluateAsync("document.getElementById('status').textContent")).GetString());
        Assert.Empty(browser.DevTools.PageErrors);
    }

    [Fact]
    public async Task OpenPage_WrongKey_ShowsTheGatewaysMessageAndNothingReachesTheRouter()
    {
        await using var browser = await HeadlessChromium.StartAsync("en-US");

        await browser.NavigateAsync(_env.Gateway.HttpAddress);
        await browser.TypeAsync("#api-key", "pk-wrong");
        await browser.ClickAsync("#key-form button");
        await browser.WaitForAsync("document.getElementById('key-status').classList.contains('error')");

        var message = (await browser.EvaluateAsync("document.getElementById('key-status').textContent")).GetString();
        Assert.Contains("Incorrect API key", message);
        Assert.Equal(0, _env.Router.Calls.Count);
    }

    private static async Task<int> CountAsync(HeadlessChromium browser, string selector) =>
        (await browser.EvaluateAsync($"document.querySelectorAll({JsonSerializer.Serialize(selector)}).length")).GetInt32();
}
