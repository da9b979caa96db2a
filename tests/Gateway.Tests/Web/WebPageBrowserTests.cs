using System.Text.Json;
using Gateway.Tests.TestSupport;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Tests.Web;

/// <summary>
/// The web page at <c>/</c> in a real browser (headless Chromium over the DevTools protocol, tests/Shared/Browser) against
/// a fake router: key, German catalogue names, a prompt, partial frames arriving before the final image, recent runs, a
/// download, a form built from a config's rules with image and mask uploads. Screenshots are kept.
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
        BrowserArtifacts.Save("web-page-partial-frames.png", await browser.ScreenshotAsync(), "image/png");
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
        BrowserArtifacts.Save("web-page-final-image.png", await browser.ScreenshotAsync(), "image/png");

        await browser.ClickAsync("#result figcaption a[download]");
        var downloaded = Path.Combine(browser.Downloads, imageId + ".png");
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(File.Exists(downloaded) && new FileInfo(downloaded).Length == stored.Length));
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

    [Fact]
    public async Task EditConfigWithRules_FormFollowsTheRules_UploadsImagesAndMaskAsBase64()
    {
        var catalogue = _env.Router.Script.Catalogue;
        var edit = catalogue.Configs.Single(c => c.Name == "gpt-image-1_edit");
        edit.Rules = new ConfigRules { MinN = 1, MaxN = 1, MinInputImages = 1, MaxInputImages = 2, Mask = true, MaxPromptLength = 500 };
        edit.Rules.Sizes.Add(["1024x1024", "1536x1024"]);
        edit.Rules.Qualities.Add(["low", "high"]);
        edit.Display = new ConfigDisplay { Icon = "✏️", Color = "#AA3300", Order = 1 };
        catalogue.Configs.Single(c => c.Name == "gpt-image-1").Display = new ConfigDisplay { Icon = "☁️", Order = 2 };
        using var folder = new TempDirectory("gateway-tests-uploads-");
        var (first, second, mask) = (TestImages.Png(64, 64, seed: 1), TestImages.Png(64, 64, seed: 2), TestImages.LeftHalfMask(64, 64));
        var paths = new[] { ("a.png", first), ("b.png", second), ("mask.png", mask) }.Select(f =>
        {
            var path = Path.Combine(folder.Path, f.Item1);
            File.WriteAllBytes(path, f.Item2);
            return path;
        }).ToArray();
        await using var browser = await HeadlessChromium.StartAsync("en-US");

        await browser.NavigateAsync(_env.Gateway.HttpAddress);
        await browser.TypeAsync("#api-key", GatewayEnvironment.ApiKey);
        await browser.ClickAsync("#key-form button");
        await browser.WaitForAsync("document.querySelectorAll('#config option').length > 0");

        // The picker follows display.order (configs without one after, in catalogue order), with the icon.
        Assert.Equal(["gpt-image-1_edit", "gpt-image-1"], (await browser.EvaluateAsync("[...document.getElementById('config').options].slice(0, 2).map(o => o.value)")).EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("✏️", (await browser.EvaluateAsync("document.getElementById('config').options[0].textContent")).GetString());
        await browser.SetValueAsync("#config", "gpt-image-1_edit");

        // Selects hold exactly the allowed values; what the config does not take is not offered.
        Assert.Equal(["1024x1024", "1536x1024"], (await browser.EvaluateAsync("[...document.getElementById('size').options].map(o => o.value)")).EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("1024x1024", (await browser.EvaluateAsync("document.getElementById('size').value")).GetString());
        Assert.Equal(["", "low", "high"], (await browser.EvaluateAsync("[...document.getElementById('quality').options].map(o => o.value)")).EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([false, false, false, true, true], (await browser.EvaluateAsync(
            "['n', 'partials', 'compression', 'input-images', 'mask'].map(id => document.getElementById(id) !== null)")).EnumerateArray().Select(e => e.GetBoolean()));
        Assert.Equal(500, (await browser.EvaluateAsync("document.getElementById('prompt').maxLength")).GetInt32());

        // Too few images: the page says so and sends nothing.
        await browser.TypeAsync("#prompt", "make it snow");
        await browser.ClickAsync("#generate-button");
        await browser.WaitForAsync("document.getElementById('status').classList.contains('error')");
        Assert.Equal("GPT Image 1 edit takes 1 to 2 input image(s); 0 chosen.", (await browser.EvaluateAsync("document.getElementById('status').textContent")).GetString());
        Assert.Empty(_env.Router.Calls.Generates);

        await browser.SetFilesAsync("#input-images", paths[0], paths[1]);
        await browser.SetFilesAsync("#mask", paths[2]);
        await browser.SetValueAsync("#size", "1536x1024");
        await browser.ClickAsync("#generate-button");
        await browser.WaitForAsync("document.getElementById('status').textContent.startsWith('Done')");
        BrowserArtifacts.Save("web-page-edit-uploads.png", await browser.ScreenshotAsync(), "image/png");

        var request = Assert.Single(_env.Router.Calls.Generates);
        Assert.Equal("gpt-image-1_edit", request.Config);
        Assert.Equal("1536x1024", request.Parameters.Size);
        Assert.Equal([first, second], request.InputImages.Select(i => i.Data.ToByteArray()));
        Assert.Equal(mask, request.Mask.Data.ToByteArray());
        Assert.Empty(browser.DevTools.PageErrors);
    }

    private static async Task<int> CountAsync(HeadlessChromium browser, string selector) =>
        (await browser.EvaluateAsync($"document.querySelectorAll({JsonSerializer.Serialize(selector)}).length")).GetInt32();
}
