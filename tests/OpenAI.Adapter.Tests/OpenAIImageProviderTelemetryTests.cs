using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using OpenAI.Adapter.Tests.TestSupport;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using SkiaSharp;

namespace OpenAI.Adapter.Tests;

/// <summary>What the adapter leaves in logs, spans, statuses and frames: never an API key, never a base64 payload.</summary>
public sealed partial class OpenAIImageProviderTelemetryTests
{
    private const string ByokKey = "sk-test-byok-hygiene-7f3a9c2e51d84b06";
    private const string RejectedKey = "sk-test-rejected-hygiene-90be41c7d2a3";

    [Fact]
    public async Task Generate_EveryOperation_LogsSpansStatusesAndFramesHoldNoKeyAndNoBase64Run()
    {
        var spans = new ConcurrentQueue<string>();
        var providerSpans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                spans.Enqueue(Describe(activity));
                if (activity.Source.Name is "Pipeline.Providers" or "System.Net.Http")
                {
                    providerSpans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await AdapterHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace" },
            emulatorKeys: [AdapterHost.ConfiguredKey, ByokKey]);
        var byok = new Metadata { { ProviderAdapter.ProviderKeyHeader, ByokKey } };
        var rejected = new Metadata { { ProviderAdapter.ProviderKeyHeader, RejectedKey } };
        var edit = Calls.Edit(2, TestImages.SolidPng(512, 512, new SKColor(200, 30, 30)), TestImages.SolidPng(512, 512, new SKColor(20, 40, 210)));
        edit.Mask = Calls.Input(TestImages.LeftHalfMask(512, 512));
        var responses = Calls.Responses(partials: 2);
        responses.InputImages.Add(Calls.Input(TestImages.SolidPng(256, 256, new SKColor(10, 200, 10))));

        var results = new List<CallResult>
        {
            (await host.Client.CollectAsync(Calls.Generate())).Succeeded(),
            (await host.Client.CollectAsync(Calls.Generate(n: 2, partials: 3))).Succeeded(),
            (await host.Client.CollectAsync(edit, Calls.Timeout(byok))).Succeeded(),
            (await host.Client.CollectAsync(responses, Calls.Timeout(byok))).Succeeded(),
            (await host.Client.CollectAsync(Calls.Generate("dall-e-3", "1024x1024", "standard"))).Succeeded(),
        };
        var failed = await host.Client.CollectAsync(Calls.Generate(partials: 1), Calls.Timeout(rejected));
        Assert.Equal(StatusCode.Unauthenticated, failed.Failure.StatusCode);
        results.Add(failed);

        var logs = host.Logs.Entries.Select(e => $"{e.Category} [{e.EventName}] {e.Message} {string.Join(" ", e.Values)} {e.Exception}").ToList();
        var outputs = results.SelectMany(Describe).ToList();
        Assert.NotEmpty(logs);
        Assert.Contains(providerSpans, a => a.Source.Name == "Pipeline.Providers" && a.DisplayName == "image_generation gpt-image-1");
        Assert.Contains(providerSpans, a => a.Source.Name == "System.Net.Http" && (a.GetTagItem("url.full") as string ?? "").EndsWith("/v1/images/edits", StringComparison.Ordinal));
        foreach (var (what, texts) in new[] { ("log", logs), ("span", spans.ToList()), ("status or frame", outputs) })
        {
            foreach (var text in texts)
            {
                foreach (var key in (string[])[AdapterHost.ConfiguredKey, ByokKey, RejectedKey])
                {
                    Assert.False(text.Contains(key, StringComparison.Ordinal), $"a {what} holds an API key: {Cut(text)}");
                }
                Assert.False(Base64Run().IsMatch(text), $"a {what} holds a base64 run longer than 100 characters: {Cut(text)}");
            }
        }
    }

    private static string Describe(Activity activity)
    {
        var text = new StringBuilder()
            .Append(activity.Source.Name).Append(' ').Append(activity.OperationName).Append(' ').Append(activity.DisplayName)
            .Append(' ').Append(activity.StatusDescription);
        foreach (var (key, value) in activity.TagObjects)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }
        foreach (var e in activity.Events)
        {
            text.Append(" event ").Append(e.Name);
            foreach (var (key, value) in e.Tags)
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }
        }
        foreach (var (key, value) in activity.Baggage)
        {
            text.Append(" baggage ").Append(key).Append('=').Append(value);
        }
        return text.ToString();
    }

    /// <summary>Every field a caller sees except the image bytes themselves.</summary>
    private static IEnumerable<string> Describe(CallResult result)
    {
        foreach (var frame in result.Frames)
        {
            if (frame.Final is { } final)
            {
                yield return $"{final.RevisedPrompt} {final.Text} {final.ProviderRequestId} {final.Model} {final.MimeType} {final.Sha256} {final.Usage}";
            }
        }
        if (result.Error is { } error)
        {
            // The status, its rich details and every trailer as the caller receives it (binary ones, such as
            // grpc-status-details-bin, as the text their bytes hold: a key or payload inside shows up as it was sent).
            yield return $"{RpcFailures.Describe(error)} " +
                string.Join(" ", error.Trailers.Select(t => $"{t.Key}={(t.IsBinary ? Encoding.UTF8.GetString(t.ValueBytes) : t.Value)}"));
        }
    }

    private static string Cut(string text) => text.Length <= 400 ? text : text[..400] + "…";

    [GeneratedRegex("[A-Za-z0-9+/]{101,}")]
    private static partial Regex Base64Run();
}
