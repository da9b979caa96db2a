using System.Text.Json;
using AppHost.Tests.Fleet;
using Aspire.Hosting.Testing;

namespace AppHost.Tests.Web;

/// <summary>
/// The gateway's web page in real headless Chromium (tests/Shared/Browser) against the running fleet, as tenant alpha:
/// partial frames then the final image, the run in the gallery, its details with the dashboard trace link, and a
/// regenerate with a changed size that makes a child run. Screenshots go to TestResults/AppHost.Tests/.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class WebPageFleetTests(FleetFixture fleet)
{
    private const string NewestRunWithPrompt = "[...document.querySelectorAll('#run-list li[data-run-id]')].filter(li => li.querySelector('.prompt').textContent === {0})";

    [Fact]
    public async Task SubmitPrompt_PartialsThenFinal_InGallery_DetailsLinkTrace_RegenerateMakesChildRun()
    {
        var prompt = "a lighthouse at dusk " + Guid.NewGuid().ToString("N")[..8];
        var runsWithPrompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, NewestRunWithPrompt, JsonSerializer.Serialize(prompt));
        var gateway = fleet.App.GetEndpoint("gateway", "http");
        var dashboard = fleet.Dashboard.ToString().TrimEnd('/');
        using var api = fleet.CreateGatewayClient(FleetFixture.AlphaKey);
        await using var browser = await HeadlessChromium.StartAsync("en-US");

        await browser.NavigateAsync(new Uri(gateway, "/?dashboard=" + Uri.EscapeDataString(dashboard)));
        await browser.TypeAsync("#api-key", FleetFixture.AlphaKey);
        await browser.ClickAsync("#key-form button");
        await browser.WaitForAsync("[...document.querySelectorAll('#config option')].some(o => o.value === 'gpt-image-1')");
        await browser.SetValueAsync("#config", "gpt-image-1");
        await browser.SetValueAsync("#partials", "2");
        await browser.TypeAsync("#prompt", prompt);
        // Records the order in which previews and the final image appear.
        await browser.EvaluateAsync("""
            (() => {
              window.seen = [];
              new MutationObserver((records) => {
                for (const r of records) {
                  if (r.type === 'childList' && r.target.id === 'frames' && r.addedNodes.length) { window.seen.push('partial'); }
                  if (r.type === 'attributes' && r.target.classList.contains('final-image') && !window.seen.includes('final')) { window.seen.push('final'); }
                }
              }).observe(document.getElementById('generate'), { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
              return true;
            })()
            """);
        await browser.ClickAsync("#generate-button");

        await browser.WaitForAsync("[...document.querySelectorAll('#frames img.partial-frame')].filter(i => i.complete && i.naturalWidth > 0).length === 2");
        await browser.WaitForAsync("document.getElementById('status').textContent.startsWith('Done') || document.getElementById('status').classList.contains('error')");
        Assert.Equal("Done: 1 image(s) stored.", await TextAsync(browser, "document.getElementById('status').textContent"));
        await browser.WaitForAsync("[...document.querySelectorAll('#result img.final-image')].some(i => i.complete && i.naturalWidth === 1024 && i.naturalHeight === 1024)");
        Assert.Equal(["partial", "partial", "final"], (await browser.EvaluateAsync("window.seen")).EnumerateArray().Select(e => e.GetString()));

        // The gallery lists the run with its image; its details name the prompt, config, model, cost and trace.
        await browser.WaitForAsync($"{runsWithPrompt}.some(li => [...li.querySelectorAll('.thumbs img')].some(i => i.complete && i.naturalWidth > 0))");
        var runId = await TextAsync(browser, $"{runsWithPrompt}[0].dataset.runId");
        BrowserArtifacts.Save("web-page-fleet-final.png", await browser.ScreenshotAsync(), "image/png");
        var run = await GetRunAsync(api, runId);
        Assert.Equal(prompt, run.GetProperty("prompt").GetString());
        var traceId = run.GetProperty("traceId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);

        await browser.ClickAsync($"#run-list li[data-run-id='{runId}']");
        await browser.WaitForAsync($"document.getElementById('run-details').dataset.runId === '{runId}' && document.querySelector('#run-fields [data-field=prompt]') !== null");
        Assert.Equal(prompt, await FieldAsync(browser, "prompt"));
        Assert.Equal("gpt-image-1", await FieldAsync(browser, "config"));
        Assert.Equal("openai/gpt-image-1", await FieldAsync(browser, "model"));
        Assert.Equal("—", await FieldAsync(browser, "parent"));
        Assert.Matches(@"^\$\d+\.\d{4}$|^unknown", await FieldAsync(browser, "cost"));
        Assert.Equal($"{dashboard}/traces/detail/{traceId}", await TextAsync(browser, "document.getElementById('trace-link').getAttribute('href')"));
        await browser.WaitForAsync("[...document.querySelectorAll('#run-images img')].some(i => i.complete && i.naturalWidth === 1024)");
        BrowserArtifacts.Save("web-page-fleet-details.png", await browser.ScreenshotAsync(), "image/png");

        // Regenerate, prefilled with the run's parameters, with a changed size.
        await browser.ClickAsync("#regenerate-button");
        await browser.WaitForAsync("!document.getElementById('regenerate-banner').hidden");
        Assert.Equal(prompt, await TextAsync(browser, "document.getElementById('prompt').value"));
        Assert.Equal("gpt-image-1", await TextAsync(browser, "document.getElementById('config').value"));
        Assert.Equal("2", await TextAsync(browser, "document.getElementById('partials').value"));
        Assert.Equal("1024x1024", await TextAsync(browser, "document.getElementById('size').value"));
        await browser.SetValueAsync("#size", "1536x1024");
        await browser.ClickAsync("#generate-button");
        await browser.WaitForAsync("document.getElementById('status').textContent.startsWith('Done') || document.getElementById('status').classList.contains('error')");
        Assert.Equal("Done: 1 image(s) stored.", await TextAsync(browser, "document.getElementById('status').textContent"));
        await browser.WaitForAsync("[...document.querySelectorAll('#result img.final-image')].some(i => i.complete && i.naturalWidth === 1536 && i.naturalHeight === 1024)");
        Assert.Equal(2, (await browser.EvaluateAsync("document.querySelectorAll('#frames img.partial-frame').length")).GetInt32());

        // The new run is in the gallery; its details name the first as its parent, and so does the API.
        await browser.WaitForAsync($"{runsWithPrompt}.length === 2");
        var childId = await TextAsync(browser, $"{runsWithPrompt}[0].dataset.runId");
        Assert.NotEqual(runId, childId);
        await browser.ClickAsync($"#run-list li[data-run-id='{childId}']");
        await browser.WaitForAsync($"document.getElementById('run-details').dataset.runId === '{childId}' && document.getElementById('parent-link') !== null");
        Assert.Equal(runId, await TextAsync(browser, "document.getElementById('parent-link').dataset.runId"));
        BrowserArtifacts.Save("web-page-fleet-regenerated.png", await browser.ScreenshotAsync(), "image/png");
        var child = await GetRunAsync(api, childId);
        Assert.Equal(runId, child.GetProperty("parentRunId").GetString());
        Assert.Equal(prompt, child.GetProperty("prompt").GetString());
        Assert.Equal("1536x1024", child.GetProperty("parameters").GetProperty("size").GetString());
        Assert.Equal(2, child.GetProperty("parameters").GetProperty("partial_images").GetInt32());
        Assert.Empty(browser.DevTools.PageErrors);
    }

    private static async Task<JsonElement> GetRunAsync(HttpClient api, string runId)
    {
        var json = await api.GetStringAsync($"/api/runs/{Uri.EscapeDataString(runId)}", TestContext.Current.CancellationToken).DefaultTimeout();
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static async Task<string> TextAsync(HeadlessChromium browser, string expression) => (await browser.EvaluateAsync(expression)).GetString() ?? "";

    private static Task<string> FieldAsync(HeadlessChromium browser, string name) =>
        TextAsync(browser, $"document.querySelector('#run-fields [data-field={name}]').textContent");
}
