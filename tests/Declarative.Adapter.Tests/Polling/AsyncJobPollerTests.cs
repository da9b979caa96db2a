using Declarative.Adapter.Tests.TestSupport;
using Grpc.Core;
using ProviderEmulator.Hosting;

namespace Declarative.Adapter.Tests.Polling;

/// <summary>Async (Replicate-style) chunks: failed jobs, cancel and deadline while polling, and status URLs on other origins.</summary>
public sealed class AsyncJobPollerTests
{
    private const string Predictions = "/api.replicate.com/v1/predictions/";

    [Fact]
    public async Task Generate_JobFails_UnavailableWithTheProvidersErrorText()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Flux).WithFault("mid-stream-error");

        var (frames, status) = await host.GenerateAsync(ChunkFiles.Request(chunk));

        Assert.Empty(frames);
        StatusAssert.Code(StatusCode.Unavailable, status);
        Assert.Contains("replicate job ended 'failed': Prediction failed for an unknown reason", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_JobFailsWithTextTheErrorTableNames_GetsTheTablesCode()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Flux).WithFault("content-policy");

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(chunk));

        StatusAssert.Code(StatusCode.FailedPrecondition, status);
        Assert.Contains("NSFW", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_CancelledWhilePolling_PostsTheJobsCancelUrl()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Flux).WithFault("partial-delay=60s");
        using var cancel = new CancellationTokenSource();
        var polled = host.Emulator.Traffic.WaitForAsync(e => e.Method == "GET" && e.Path.StartsWith(Predictions, StringComparison.Ordinal));

        var generation = host.GenerateAsync(ChunkFiles.Request(chunk), AdapterHost.Deadline(cancellationToken: cancel.Token));
        await polled.DefaultTimeout();
        await cancel.CancelAsync();
        var (_, status) = await generation.DefaultTimeout();

        StatusAssert.Code(StatusCode.Cancelled, status);
        var cancelled = await host.Emulator.Traffic.WaitForAsync(e =>
            e.Kind == EmulatorEventKind.RequestCompleted && e.Method == "POST" && e.Path.EndsWith("/cancel", StringComparison.Ordinal)).DefaultTimeout();
        Assert.Equal(200, cancelled.StatusCode);
    }

    [Fact]
    public async Task Generate_TimeoutPassesWhilePolling_DeadlineExceededAndTheJobCancelled()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Flux).WithFault("partial-delay=60s");
        var request = ChunkFiles.Request(chunk);
        // Long enough for the create request to come back on a busy machine (the job must exist to be cancelled), far shorter
        // than the job: the deadline passes while the adapter polls.
        request.Timeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(3));

        var (_, status) = await host.GenerateAsync(request);

        StatusAssert.Code(StatusCode.DeadlineExceeded, status);
        await host.Emulator.Traffic.WaitForAsync(e =>
            e.Kind == EmulatorEventKind.RequestCompleted && e.Method == "POST" && e.Path.EndsWith("/cancel", StringComparison.Ordinal)).DefaultTimeout();
    }

    [Fact]
    public async Task Generate_StatusUrlOnAnotherOrigin_IsNotFollowed()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Flux);
        // Replicate's urls.web is https://replicate.com/p/{id}: another origin than the endpoint's.
        chunk["api_config"]!["async"]!["status_url_path"] = "urls.web";

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(chunk));

        StatusAssert.Code(StatusCode.Internal, status);
        Assert.Contains("https://replicate.com", status.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to follow it", status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Outgoing.All, r => r.Uri!.Host == "replicate.com");
    }
}
