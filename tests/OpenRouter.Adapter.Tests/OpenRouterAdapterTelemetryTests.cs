using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using OpenRouter.Adapter.Tests.TestSupport;
using Grpc.Core;
using ProviderEmulator;

namespace OpenRouter.Adapter.Tests;

/// <summary>What the adapter writes to logs and spans: sizes, hashes and ids — never keys, never base64 payloads.</summary>
public sealed partial class OpenRouterAdapterTelemetryTests
{
    private const string CallerKey = "sk-or-v1-caller-00112233445566778899aabbccddeeff";
    private const string WrongKey = "sk-or-v1-wrong-ffeeddccbbaa99887766554433221100";

    [Fact]
    public async Task LogsAndSpans_OfSuccessesAndFailures_HoldNoKeyAndNoBase64()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new List<LogSink.Entry>();

        var emulator = new EmulatorOptions { ApiKeys = [AdapterHost.ConfiguredKey, CallerKey] };
        await using (var host = await AdapterHost.StartAsync(emulatorOptions: emulator))
        {
            StatusAssert.Ok((await host.GenerateAsync(Requests.Small("configured key"))).Status);
            StatusAssert.Ok((await host.GenerateAsync(Requests.Small("caller key, streamed", partialImages: 1), AdapterHost.WithKey(CallerKey))).Status);
            StatusAssert.Code(StatusCode.Unauthenticated, (await host.GenerateAsync(Requests.Small("wrong key"), AdapterHost.WithKey(WrongKey))).Status);
            logs.AddRange(host.Logs.Entries);
        }
        foreach (var fault in (string[])["content-policy", "mid-stream-error", "malformed-json", "oversized-image=2MB"])
        {
            await using var host = await AdapterHost.StartAsync(fault: fault, emulatorOptions: emulator);
            await host.GenerateAsync(Requests.Small($"fault {fault}", partialImages: 1), AdapterHost.WithKey(CallerKey));
            await host.GenerateAsync(Requests.Small($"fault {fault}"));
            logs.AddRange(host.Logs.Entries);
        }

        var spans = activities.ToList();
        var providerSpans = spans.Where(a => a.Source.Name == "Pipeline.Providers").ToList();
        Assert.Contains(providerSpans, a => a.GetTagItem("gen_ai.usage.output_tokens") is long tokens && tokens > 0);
        Assert.Contains(providerSpans, a => a.Events.Any(e => e.Tags.Any(t => t.Key == "pipeline.image.sha256")));
        Assert.Contains(providerSpans, a => a.Status == ActivityStatusCode.Error);
        Assert.Contains(spans, a => a.Source.Name == "System.Net.Http");
        Assert.Contains(logs, e => e.EventName == "FinalImage");
        Assert.Contains(logs, e => e.EventName == "CallFailed");

        var texts = logs.Select(e => $"log {e.Category}: {e.Text}").Concat(spans.Select(Describe)).ToList();
        foreach (var secret in (string[])[AdapterHost.ConfiguredKey, CallerKey, WrongKey])
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }
        var payloads = texts.Where(t => LongBase64Run().IsMatch(t)).Select(t => t[..Math.Min(300, t.Length)]).ToList();
        Assert.True(payloads.Count == 0, "base64 runs found in: " + string.Join(Environment.NewLine, payloads));
    }

    private static string Describe(Activity activity)
    {
        var text = new StringBuilder($"span {activity.Source.Name} {activity.OperationName} {activity.DisplayName} {activity.StatusDescription}");
        foreach (var (key, value) in activity.TagObjects)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }
        foreach (var activityEvent in activity.Events)
        {
            text.Append(" event ").Append(activityEvent.Name);
            foreach (var (key, value) in activityEvent.Tags)
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

    [GeneratedRegex("[A-Za-z0-9+/]{101,}")]
    private static partial Regex LongBase64Run();
}
