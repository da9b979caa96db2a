using Declarative.Adapter.Tests.TestSupport;
using Google.Rpc;
using Grpc.Core;

namespace Declarative.Adapter.Tests.Http;

/// <summary>Provider errors through the chunk's declared error table.</summary>
public sealed class ErrorTranslatorTests
{
    [Fact]
    public async Task Generate_StatusInTheTable_GetsItsCodeAndTheMessageAtMessagePath()
    {
        await using var host = await AdapterHost.StartAsync();
        var request = ChunkFiles.Request(ChunkFiles.Stability).WithExtra(("aspect_ratio", "7:3"));

        var (_, status) = await host.GenerateAsync(request);

        StatusAssert.Code(StatusCode.InvalidArgument, status);
        Assert.Contains("stability answered HTTP 400: aspect_ratio: must be one of", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_BodyContainsMatches_GetsThatEntrysCode()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Stability).WithFault("content-policy");

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(chunk));

        StatusAssert.Code(StatusCode.FailedPrecondition, status);
        Assert.Contains("flagged by our content moderation system", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_RateLimited_ResourceExhaustedWithTheRetryAfter()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Flux).WithFault("rate-limit=7");

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(chunk));

        StatusAssert.Code(StatusCode.ResourceExhausted, status);
        var retry = status.Details.Select(d => d.TryUnpack<RetryInfo>(out var info) ? info : null).Single(i => i is not null);
        Assert.Equal(TimeSpan.FromSeconds(7), retry!.RetryDelay.ToTimeSpan());
        Assert.Contains("Request was throttled", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_StatusTheTableLacks_UnavailableWithTheProvidersMessage()
    {
        await using var host = await AdapterHost.StartAsync();
        var chunk = ChunkFiles.Load(ChunkFiles.Stability).WithFault("status=500");

        var (_, status) = await host.GenerateAsync(ChunkFiles.Request(chunk));

        StatusAssert.Code(StatusCode.Unavailable, status);
        Assert.Contains("stability answered HTTP 500: An unexpected server error has occurred", status.Message, StringComparison.Ordinal);
    }
}
