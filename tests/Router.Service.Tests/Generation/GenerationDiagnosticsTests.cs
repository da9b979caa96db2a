using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Router.Service.Generation;
using Router.Service.Tests.TestSupport;

namespace Router.Service.Tests.Generation;

/// <summary>The span of a generation and what the router logs: ids, sizes and hashes, never image bytes or prompts.</summary>
public sealed class GenerationDiagnosticsTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Activity> _activities = new();
    private ActivityListener _listener = null!;
    private TestFleet _fleet = null!;

    public async ValueTask InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GenerationDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _fleet = await TestFleet.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _fleet.DisposeAsync();
        _listener.Dispose();
    }

    [Fact]
    public async Task Generate_WithFallback_OneSpanWithRunConfigModelAndAnEventPerFallbackAndImage()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.Fail(StatusCode.Unavailable, "down"));

        (await _fleet.GenerateAsync(new GenerateRequest { Prompt = "secret prompt words", Config = "gpt-image-1", RunId = "traced-1" })).EnsureOk();

        await TestTimeouts.WaitUntilAsync(() => _activities.Any(a => Equals(a.GetTagItem("pipeline.run_id"), "traced-1")));
        var span = _activities.Single(a => Equals(a.GetTagItem("pipeline.run_id"), "traced-1"));
        Assert.Equal("imagegen.generate", span.OperationName);
        Assert.Equal("gpt-image-1", span.GetTagItem("pipeline.config"));
        Assert.Equal("gpt-image-1.5", span.GetTagItem("pipeline.config.used"));
        Assert.Equal("gpt-image-1.5", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(["pipeline.fallback", "pipeline.image"], span.Events.Select(e => e.Name));
        Assert.Equal("traced-1-0", span.Events.Last().Tags.Single(t => t.Key == "pipeline.image.id").Value);
        var values = span.TagObjects.Select(t => t.Value?.ToString() ?? "")
            .Concat(span.Events.SelectMany(e => e.Tags).Select(t => t.Value?.ToString() ?? "")).ToList();
        Assert.All(values, v => Assert.True(v.Length <= 64, $"span value of {v.Length} characters: {v[..Math.Min(v.Length, 80)]}"));
        Assert.DoesNotContain(values, v => v.Contains("secret prompt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_ImagesWithData_NoImageBytesOrPromptInTheLogs()
    {
        var result = (await _fleet.GenerateAsync(new GenerateRequest
        {
            Prompt = "secret prompt words",
            Config = "gpt-image-1",
            IncludeImageData = true,
            Parameters = new() { PartialImages = 2 },
        })).EnsureOk();

        var base64 = Convert.ToBase64String(result.Finals[0].Data.ToByteArray())[..24];
        var partial64 = Convert.ToBase64String(result.Partials[0].Data.ToByteArray())[..24];
        Assert.Contains(_fleet.Router.Logs, e => e.Message.Contains(result.Accepted.RunId, StringComparison.Ordinal));
        Assert.DoesNotContain(_fleet.Router.Logs, e => e.Message.Contains(base64, StringComparison.Ordinal) || e.Message.Contains(partial64, StringComparison.Ordinal));
        Assert.DoesNotContain(_fleet.Router.Logs, e => e.Message.Contains("secret prompt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_Failure_SpanMarkedAsErrorWithTheStatusCode()
    {
        _fleet.OpenAI.Script("gpt-image-1", AdapterScripts.ContentPolicy());

        await _fleet.GenerateAsync(new GenerateRequest { Prompt = "x", Config = "gpt-image-1", RunId = "traced-2" });

        await TestTimeouts.WaitUntilAsync(() => _activities.Any(a => Equals(a.GetTagItem("pipeline.run_id"), "traced-2")));
        var span = _activities.Single(a => Equals(a.GetTagItem("pipeline.run_id"), "traced-2"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal((int)StatusCode.FailedPrecondition, span.GetTagItem("rpc.grpc.status_code"));
    }
}
