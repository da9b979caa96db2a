using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Pipeline.Tests.Browser;

/// <summary>
/// Debian's Chromium (package <c>chromium</c>, /usr/bin/chromium) headless with a fresh profile and the DevTools
/// protocol on a free port, and one page to drive. A missing browser fails the test with what to install (.ci/run
/// installs it); it never skips.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly StringBuilder _output;

    private HeadlessChromium(Process process, DirectoryInfo profile, StringBuilder output, DevToolsSession devTools, string sessionId, string downloads)
    {
        _process = process;
        _profile = profile;
        _output = output;
        DevTools = devTools;
        SessionId = sessionId;
        Downloads = downloads;
    }

    public DevToolsSession DevTools { get; }

    /// <summary>The page's DevTools session.</summary>
    public string SessionId { get; }

    /// <summary>Where downloads land.</summary>
    public string Downloads { get; }

    public static async Task<HeadlessChromium> StartAsync(string language)
    {
        var executable = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: apt-get install chromium (Debian's package; .ci/run installs it).");
        var profile = Directory.CreateTempSubdirectory("pipeline-tests-chromium-");
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        // The background-networking flags keep Chromium from reaching for Google's hosts on a machine without a network.
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-features=Translate,MediaRouter", "--mute-audio", "--window-size=1280,1100", $"--lang={language}",
            $"--user-data-dir={profile.FullName}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var output = new StringBuilder();
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            const string marker = "DevTools listening on ";
            if (e.Data.StartsWith(marker, StringComparison.Ordinal))
            {
                endpoint.TrySetResult(new Uri(e.Data[marker.Length..].Trim()));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => endpoint.TrySetException(new InvalidOperationException($"Chromium exited with {process.ExitCode}:{Environment.NewLine}{output}"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        DevToolsSession? devTools = null;
        try
        {
            devTools = await DevToolsSession.ConnectAsync(await endpoint.Task.DefaultTimeout());
            var downloads = Path.Combine(profile.FullName, "downloads");
            Directory.CreateDirectory(downloads);
            await devTools.SendAsync("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = downloads });
            var target = await devTools.SendAsync("Target.createTarget", new { url = "about:blank" });
            var attached = await devTools.SendAsync("Target.attachToTarget", new { targetId = target.GetProperty("targetId").GetString(), flatten = true });
            var sessionId = attached.GetProperty("sessionId").GetString()!;
            await devTools.SendAsync("Page.enable", sessionId: sessionId);
            await devTools.SendAsync("Runtime.enable", sessionId: sessionId);
            await devTools.SendAsync("Emulation.setLocaleOverride", new { locale = language }, sessionId);
            await devTools.SendAsync("Network.enable", sessionId: sessionId);
            await devTools.SendAsync("Network.setUserAgentOverride", new { userAgent = "Mozilla/5.0 (Pipeline gateway tests) HeadlessChrome", acceptLanguage = language }, sessionId);
            return new HeadlessChromium(process, profile, output, devTools, sessionId, downloads);
        }
        catch
        {
            if (devTools is not null)
            {
                await devTools.DisposeAsync();
            }
            Stop(process);
            DeleteProfile(profile);
            throw;
        }
    }

    public Task<JsonElement> SendAsync(string method, object? parameters = null) => DevTools.SendAsync(method, parameters, SessionId);

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"Evaluating '{expression}' threw: {exception}");
        }
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Polls <paramref name="expression"/> until it is true.</summary>
    public Task WaitForAsync(string expression) =>
        TestTimeouts.WaitUntilAsync(async () => (await EvaluateAsync(expression)).ValueKind == JsonValueKind.True, expression);

    public async Task NavigateAsync(Uri url)
    {
        await SendAsync("Page.navigate", new { url = url.ToString() });
        await WaitForAsync("document.readyState === 'complete'");
    }

    /// <summary>Types into the element like a user: focus, then the text as input events.</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await EvaluateAsync($"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); e.focus(); e.select && e.select(); return true; }})()");
        await SendAsync("Input.insertText", new { text });
    }

    /// <summary>Sets a form field's value as a user's choice would (a select's option, an input's text), with input and change events.</summary>
    public Task SetValueAsync(string selector, string value)
    {
        var (s, v) = (JsonSerializer.Serialize(selector), JsonSerializer.Serialize(value));
        return EvaluateAsync($"(() => {{ const e = document.querySelector({s}); e.value = {v}; if (e.value !== {v}) {{ throw new Error({s} + ' cannot take ' + {v}); }} " +
            "e.dispatchEvent(new Event('input', { bubbles: true })); e.dispatchEvent(new Event('change', { bubbles: true })); return true; })()");
    }

    /// <summary>Chooses <paramref name="paths"/> in the file input at <paramref name="selector"/>, as the file dialog would.</summary>
    public async Task SetFilesAsync(string selector, params string[] paths)
    {
        var document = await SendAsync("DOM.getDocument", new { depth = 0 });
        var node = await SendAsync("DOM.querySelector", new { nodeId = document.GetProperty("root").GetProperty("nodeId").GetInt32(), selector });
        await SendAsync("DOM.setFileInputFiles", new { files = paths, nodeId = node.GetProperty("nodeId").GetInt32() });
    }

    /// <summary>Clicks the element's centre with real mouse events.</summary>
    public async Task ClickAsync(string selector)
    {
        var box = await EvaluateAsync($"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return {{ x: r.x + r.width / 2, y: r.y + r.height / 2 }}; }})()");
        var (x, y) = (box.GetProperty("x").GetDouble(), box.GetProperty("y").GetDouble());
        await SendAsync("Input.dispatchMouseEvent", new { type = "mousePressed", x, y, button = "left", clickCount = 1 });
        await SendAsync("Input.dispatchMouseEvent", new { type = "mouseReleased", x, y, button = "left", clickCount = 1 });
    }

    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DevTools.DisposeAsync();
        Stop(_process);
        await _process.WaitForExitAsync().DefaultTimeout();
        _process.Dispose();
        DeleteProfile(_profile);
    }

    private static void DeleteProfile(DirectoryInfo profile)
    {
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A Chromium helper may still hold a file for a moment; the OS cleans the temp folder.
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
